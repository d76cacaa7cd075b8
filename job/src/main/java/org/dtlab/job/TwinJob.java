package org.dtlab.job;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;
import org.apache.flink.streaming.api.transformations.StreamExchangeMode;
import org.apache.flink.streaming.runtime.partitioner.ForwardPartitioner;

import org.dtlab.connectors.journal.JournalOptions;
import org.dtlab.connectors.journal.JournalSinks;
import org.dtlab.connectors.kafka.KafkaSources;
import org.dtlab.connectors.webhook.JdbcDeadLetterStore;
import org.dtlab.connectors.webhook.WebhookSink;
import org.dtlab.job.config.EventTimeOptions;
import org.dtlab.job.config.TwinJobOptions;
import org.dtlab.job.runtime.BacktestTwinFunction;
import org.dtlab.job.runtime.EventTimeWatermarks;
import org.dtlab.job.runtime.LevelRouter;
import org.dtlab.job.runtime.ObservationParser;
import org.dtlab.job.runtime.SnapshotCoalescer;
import org.dtlab.job.runtime.TwinFunction;
import org.dtlab.job.runtime.TwinInput;
import org.dtlab.job.runtime.TwinOutputSerializers;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.event.Reject;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.journal.JournalSchema;
import org.dtlab.model.telemetry.TwinPath;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The twin pipeline: observations keyed by twin path, control records broadcast to every parallel
 * instance, one {@link TwinFunction} per level of the twin hierarchy holding the state of that
 * level's twins.
 *
 * <pre>
 * observations ─▶ parse ─▶ event time ─▶ level ─┬─ level L ──────────────────▶ keyBy ─▶ TwinFunction(L) ─┐
 *                   └─▶ rejects                 │                 contributions ◀──────────┘             │
 *                                               ├─ level L-1 ─────── ∪ ───────▶ keyBy ─▶ TwinFunction(L-1) ┤ …
 *                                               └─ level 1 ─────────── ∪ ─────▶ keyBy ─▶ TwinFunction(1) ─┤
 * control ──────────────────────────────────────────────────▶ broadcast to every level                    │
 *                        events, journal, snapshots (coalesced), webhook deliveries, spec changes, rejects ◀┘
 * </pre>
 *
 * <p>Roll-ups make a parent depend on its children, and Flink 2 has no iterations: instead of a
 * loop, the twins are split by level (path depth), deepest first, and each level's reports to its
 * parents' roll-ups feed the level above — a graph without cycles that runs the same in STREAMING
 * and BATCH (docs/decisions.md). Twins deeper than the last level share its operator and report
 * nothing.
 *
 * <p>Sources and sinks are the caller's: production wires Kafka and the journal database, tests and
 * the back-test their own.
 */
public final class TwinJob {

    private TwinJob() {}

    /**
     * The cluster entry point ({@code flink run dtlab-job.jar --kafka.bootstrap … --jdbc.url …}):
     * Kafka in, the journal database and webhooks out. The settings ({@link
     * org.dtlab.job.config.TwinJobSettings}, docs/settings.md) come from the program arguments, the
     * {@code DTLAB_*} environment variables and the {@code dtlab.*} keys of the Flink
     * configuration, in that order.
     */
    public static void main(String[] args) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(requiredConfiguration());
        TwinJobOptions options = TwinJobOptions.read(args, System.getenv(), env.getConfiguration());
        assemble(env, options);
        env.execute("DT Lab twins");
    }

    /**
     * Builds the production job on {@code env}: creates the journal tables if they are missing,
     * reads both Kafka topics, and writes every output to its sink.
     */
    public static void assemble(StreamExecutionEnvironment env, TwinJobOptions options)
            throws SQLException {
        try (Connection connection = options.journal().connect()) {
            JournalSchema.apply(connection);
        }
        DataStream<RawRecord> observations =
                env.fromSource(
                                KafkaSources.observations(options.kafka()),
                                WatermarkStrategy.noWatermarks(),
                                "observations")
                        .uid(JobConstants.OBSERVATIONS_SOURCE_UID);
        // One reader keeps the control records in topic order (the topic has one partition).
        DataStream<RawRecord> control =
                env.fromSource(
                                KafkaSources.control(options.kafka()),
                                WatermarkStrategy.noWatermarks(),
                                "control")
                        .setParallelism(1)
                        .uid(JobConstants.CONTROL_SOURCE_UID);
        sinkTo(
                build(
                        observations,
                        control,
                        options.snapshotIntervalMs(),
                        options.eventTime(),
                        List.of(),
                        options.levels()),
                options);
    }

    /** Attaches the journal database and webhook sinks to the pipeline's outputs. */
    public static void sinkTo(TwinOutputs outputs, TwinJobOptions options) {
        JournalOptions journal = options.journal();
        outputs.journal()
                .sinkTo(JournalSinks.journal(journal))
                .uid(JobConstants.JOURNAL_SINK_UID)
                .name("journal");
        outputs.events()
                .sinkTo(JournalSinks.events(journal))
                .uid(JobConstants.EVENTS_SINK_UID)
                .name("events");
        outputs.snapshots()
                .sinkTo(JournalSinks.twinStates(journal))
                .uid(JobConstants.TWIN_STATE_SINK_UID)
                .name("twin state");
        outputs.specChanges()
                .sinkTo(JournalSinks.specs(journal))
                .uid(JobConstants.SPECS_SINK_UID)
                .name("specs");
        outputs.rejects()
                .sinkTo(JournalSinks.rejects(journal))
                .uid(JobConstants.REJECTS_SINK_UID)
                .name("rejects");
        outputs.webhookDeliveries()
                .sinkTo(
                        WebhookSink.builder()
                                .setWebhookOptions(options.webhooks())
                                .setDeadLetterStore(new JdbcDeadLetterStore(journal))
                                .build())
                .uid(JobConstants.WEBHOOK_SINK_UID)
                .name("webhooks");
    }

    /**
     * Builds the pipeline over the given raw sources and returns its outputs.
     *
     * @param snapshotIntervalMs the snapshots of a twin are coalesced to at most one per interval
     *     (0: every change is emitted)
     */
    public static TwinOutputs build(
            DataStream<RawRecord> observations,
            DataStream<RawRecord> control,
            long snapshotIntervalMs) {
        return build(
                observations,
                control,
                snapshotIntervalMs,
                EventTimeOptions.observationsOnly(),
                List.of(),
                TwinPath.MAX_LEVELS);
    }

    /**
     * As {@link #build(DataStream, DataStream, long)}, with event time advanced as {@code
     * eventTime} says, specs in effect from the start (a back-test's candidate specs, in
     * control-message JSON) and {@code levels} twin operators.
     */
    public static TwinOutputs build(
            DataStream<RawRecord> observations,
            DataStream<RawRecord> control,
            long snapshotIntervalMs,
            EventTimeOptions eventTime,
            List<String> initialSpecs,
            int levels) {
        SingleOutputStreamOperator<TwinInput> parsed =
                observations
                        .process(new ObservationParser(), TypeInformation.of(TwinInput.class))
                        .uid(JobConstants.OBSERVATION_PARSER_UID)
                        .name("parse observations");
        DataStream<TwinInput> timed =
                parsed.assignTimestampsAndWatermarks(EventTimeWatermarks.observations(eventTime))
                        .uid(JobConstants.OBSERVATION_WATERMARKS_UID)
                        .name("event time");
        return buildParsed(
                timed,
                parsed.getSideOutput(JobConstants.REJECTS),
                control,
                snapshotIntervalMs,
                initialSpecs,
                levels);
    }

    /**
     * The pipeline after parsing, for sources that parse their records themselves (the back-test's
     * archive reader parses each line once, for its window filter and the twin operator alike).
     *
     * @param parseRejects the records the parsing step could not accept
     * @param levels twin operators, one per level of the hierarchy: roll-ups work up to this depth
     *     (1 is the graph of before roll-ups: one operator, no roll-ups)
     */
    public static TwinOutputs buildParsed(
            DataStream<TwinInput> parsed,
            DataStream<Reject> parseRejects,
            DataStream<RawRecord> control,
            long snapshotIntervalMs,
            List<String> initialSpecs,
            int levels) {
        checkLevels(levels);
        // At the control source's parallelism (one reader), so that records keep their topic order.
        BroadcastStream<RawRecord> specs =
                control.assignTimestampsAndWatermarks(EventTimeWatermarks.control())
                        .setParallelism(control.getParallelism())
                        .uid(JobConstants.CONTROL_WATERMARKS_UID)
                        .name("control: no event time")
                        .broadcast(JobConstants.SPECS);
        return assemble(
                parsed,
                parseRejects,
                snapshotIntervalMs,
                levels,
                snapshots -> snapshots,
                (input, level) ->
                        input.keyBy(TwinInput::path, Types.STRING)
                                .connect(specs)
                                .process(
                                        new TwinFunction(initialSpecs, level),
                                        TwinOutputSerializers.EVENT));
    }

    /**
     * The pipeline after parsing with its specs fixed from the start and no control input: a
     * one-input keyed operator per level ({@link BacktestTwinFunction}, the same {@code TwinCore}
     * as {@link TwinFunction}'s), which Flink's BATCH mode runs without sorting its input. Each
     * twin's records are applied in the order they arrive, and the job fails with {@link
     * org.dtlab.job.runtime.OutOfOrderInputException} if a twin's messages do not arrive in
     * strictly increasing event time.
     */
    public static TwinOutputs buildParsedWithFixedSpecs(
            DataStream<TwinInput> parsed,
            DataStream<Reject> parseRejects,
            long snapshotIntervalMs,
            List<String> specs,
            int levels) {
        checkLevels(levels);
        return assemble(
                parsed,
                parseRejects,
                snapshotIntervalMs,
                levels,
                TwinJob::afterTheTwinStage,
                (input, level) ->
                        input.keyBy(TwinInput::path, Types.STRING)
                                .process(
                                        new BacktestTwinFunction(specs, level),
                                        TwinOutputSerializers.EVENT));
    }

    private static void checkLevels(int levels) {
        if (levels < 1 || levels > TwinPath.MAX_LEVELS) {
            throw new IllegalArgumentException(
                    "levels must be 1 to " + TwinPath.MAX_LEVELS + ", not " + levels);
        }
    }

    /**
     * The levels' twin operators ({@code twins} makes the operator of a level over its input) and
     * their outputs.
     */
    private static TwinOutputs assemble(
            DataStream<TwinInput> parsed,
            DataStream<Reject> parseRejects,
            long snapshotIntervalMs,
            int levels,
            UnaryOperator<DataStream<TwinSnapshot>> toCoalescing,
            BiFunction<DataStream<TwinInput>, Integer, SingleOutputStreamOperator<TwinEvent>>
                    twins) {
        // Every record type of the pipeline is immutable (records of immutable lists), so chained
        // operators may hand them on without a defensive copy: Flink copied each twin snapshot and
        // parsed record once per chained operator (docs/decisions.md §38).
        parsed.getExecutionEnvironment().getConfig().enableObjectReuse();
        SingleOutputStreamOperator<TwinInput> routed =
                parsed.process(new LevelRouter(levels), TypeInformation.of(TwinInput.class))
                        .uid(JobConstants.LEVEL_ROUTER_UID)
                        .name("level");
        List<SingleOutputStreamOperator<TwinEvent>> operators = new ArrayList<>(levels);
        DataStream<TwinInput> fromChildren = null;
        for (int level = levels; level >= 1; level--) {
            DataStream<TwinInput> input =
                    level == 1 ? routed : routed.getSideOutput(JobConstants.level(level));
            if (fromChildren != null) {
                input = input.union(fromChildren);
            }
            SingleOutputStreamOperator<TwinEvent> operator =
                    twins.apply(input, level)
                            .uid(JobConstants.twinFunctionUid(level))
                            .name(levels == 1 ? "twins" : "twins, level " + level)
                            .setMaxParallelism(JobConstants.MAX_PARALLELISM);
            operators.add(operator);
            fromChildren = level > 1 ? operator.getSideOutput(JobConstants.CONTRIBUTIONS) : null;
        }

        DataStream<TwinSnapshot> snapshots =
                union(operators, t -> t.getSideOutput(JobConstants.SNAPSHOTS));
        if (snapshotIntervalMs > 0) {
            snapshots =
                    toCoalescing
                            .apply(snapshots)
                            .transform(
                                    "coalesce snapshots",
                                    TwinOutputSerializers.SNAPSHOT,
                                    new SnapshotCoalescer(snapshotIntervalMs))
                            .uid(JobConstants.SNAPSHOT_COALESCER_UID);
        }
        return new TwinOutputs(
                union(operators, t -> t),
                union(operators, t -> t.getSideOutput(JobConstants.JOURNAL)),
                snapshots,
                union(operators, t -> t.getSideOutput(JobConstants.WEBHOOK_DELIVERIES)),
                union(operators, t -> t.getSideOutput(JobConstants.SPEC_CHANGES)),
                parseRejects.union(union(operators, t -> t.getSideOutput(JobConstants.REJECTS))));
    }

    /**
     * The twins' states on a blocking exchange, for a back-test whose other exchanges are pipelined
     * ({@code BacktestPipeline.withoutSort}): the coalescer then starts once the twin stage is done
     * and its keyed state is freed. Beside it, the coalescer would hold every twin's final row on
     * the heap with every twin's state (a million twins: a 1 GB heap full, the job stuck in garbage
     * collection).
     */
    private static DataStream<TwinSnapshot> afterTheTwinStage(DataStream<TwinSnapshot> snapshots) {
        return new DataStream<>(
                snapshots.getExecutionEnvironment(),
                new PartitionTransformation<>(
                        snapshots.getTransformation(),
                        new ForwardPartitioner<>(),
                        StreamExchangeMode.BATCH));
    }

    private static <T> DataStream<T> union(
            List<SingleOutputStreamOperator<TwinEvent>> operators,
            Function<SingleOutputStreamOperator<TwinEvent>, DataStream<T>> output) {
        DataStream<T> first = output.apply(operators.get(0));
        if (operators.size() == 1) {
            return first;
        }
        @SuppressWarnings("unchecked")
        DataStream<T>[] rest =
                operators.subList(1, operators.size()).stream()
                        .map(output)
                        .toArray(DataStream[]::new);
        return first.union(rest);
    }

    /**
     * The settings the job needs wherever it runs: RocksDB with incremental checkpoints, and no
     * Kryo (every stream and state type has a Flink serializer; a generic type fails fast).
     */
    public static Configuration requiredConfiguration() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        return conf;
    }
}
