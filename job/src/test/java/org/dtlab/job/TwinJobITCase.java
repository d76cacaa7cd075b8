package org.dtlab.job;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.dtlab.job.testutils.CollectingSink;
import org.dtlab.job.testutils.ObservationGenerator;
import org.dtlab.job.testutils.Records;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.event.Reject;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.telemetry.Telemetry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The twin job on a MiniCluster with RocksDB and checkpoints every 100 ms: an uninterrupted run, a
 * run stopped with a savepoint and resumed, and a run with an injected failure all end in the same
 * twin states and the same journal.
 */
class TwinJobITCase {

    private static final int TWINS = 250;
    private static final long RECORDS = 4_000;
    private static final int PARALLELISM = 2;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /** The result of one uninterrupted BATCH run over all records: the reference. */
    private static Result reference;

    @BeforeAll
    static void runUninterrupted(@TempDir Path checkpoints) throws Exception {
        StreamExecutionEnvironment env = environment(checkpoints, Map.of());
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        Sinks sinks =
                pipeline(
                        env,
                        generator(RateLimiterStrategy.noOp()),
                        "reference",
                        observations -> observations);
        env.execute("uninterrupted");
        reference = sinks.result();
    }

    @Test
    void theReferenceRunAppliedEveryOperatorKind() {
        long rejectedTelemetry =
                indexes().filter(i -> i % 97 == 96 && i % 401 != 400 && i % 1009 != 1008).count();
        long commands = indexes().filter(i -> i % 401 == 400 || i % 1009 == 1008).count();
        assertThat(reference.journal()).hasSize((int) (RECORDS - rejectedTelemetry - commands));
        assertThat(reference.rejects())
                .hasSize((int) rejectedTelemetry)
                .allSatisfy(r -> assertThat(r.reason()).isEqualTo("idx out of bounds"));
        assertThat(reference.states()).hasSize(TWINS);
        assertThat(reference.creations()).isEqualTo(TWINS);

        // Twin m0 gets records 0, 250, 500, …: heights while (i / 250) is even.
        TwinSnapshot m0 = reference.states().get("machine/m0");
        long heights =
                indexes()
                        .filter(i -> i % TWINS == 0 && (i / TWINS) % 2 == 0)
                        .filter(i -> i % 97 != 96 && i % 401 != 400 && i % 1009 != 1008)
                        .count();
        assertThat(value(m0, 2)).as("count").isEqualTo(heights);
        assertThat(value(m0, 4)).as("hours active").isGreaterThan(0);
        assertThat(value(m0, 5)).as("first seen marker").isEqualTo(1.0);
        assertThat(value(m0, 3)).as("min").isLessThanOrEqualTo(value(m0, 7));
    }

    @Test
    void aRunStoppedWithASavepointAndResumedEqualsTheUninterruptedRun(
            @TempDir Path dir, @InjectMiniCluster MiniCluster cluster) throws Exception {
        StreamExecutionEnvironment first = environment(dir.resolve("checkpoints"), Map.of());
        Sinks sinks =
                pipeline(
                        first,
                        generator(RateLimiterStrategy.perCheckpoint(200)),
                        "savepoint",
                        o -> o);
        JobClient job = first.executeAsync("before savepoint");
        await().atMost(Duration.ofMinutes(2)).until(() -> sinks.journalSize() >= RECORDS / 3);
        // The bounded control source of this test finishes early; a savepoint triggered while it is
        // finishing fails ("checkpoint request for unknown task"). Kafka's control source never
        // does.
        await().atMost(Duration.ofMinutes(1))
                .until(
                        () ->
                                StreamSupport.stream(
                                                cluster.getExecutionGraph(job.getJobID())
                                                        .get()
                                                        .getVerticesTopologically()
                                                        .spliterator(),
                                                false)
                                        .filter(v -> v.getName().startsWith("Source: control"))
                                        .allMatch(
                                                v ->
                                                        v.getAggregateState()
                                                                == ExecutionState.FINISHED));
        String savepoint =
                job.stopWithSavepoint(
                                false,
                                dir.resolve("savepoints").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get();
        int journaledBeforeStop = sinks.journalSize();
        assertThat(journaledBeforeStop)
                .as("stopped mid-stream")
                .isLessThan(reference.journal().size());

        StreamExecutionEnvironment second =
                environment(
                        dir.resolve("checkpoints"),
                        Map.of("execution.state-recovery.path", savepoint));
        Sinks resumed =
                pipeline(
                        second,
                        generator(RateLimiterStrategy.perSecond(4_000)),
                        "savepoint-resumed",
                        o -> o);
        second.execute("after savepoint");

        Result result = sinks.result().plus(resumed.result());
        assertSameStates(result);
        assertThat(result.journal()).isEqualTo(reference.journal());
        assertThat(result.creations()).isEqualTo(TWINS);
        assertThat(resumed.result().journal().keySet())
                .as("the resumed job went on where the first stopped")
                .noneMatch(key -> sinks.result().journal().containsKey(key));
    }

    @Test
    void aFailureMidStreamRecoversFromTheLastCheckpointWithTheSameResult(@TempDir Path dir)
            throws Exception {
        FailOnce.reset(RECORDS / 2);
        StreamExecutionEnvironment env =
                environment(
                        dir,
                        Map.of(
                                "restart-strategy.type", "fixed-delay",
                                "restart-strategy.fixed-delay.attempts", "3",
                                "restart-strategy.fixed-delay.delay", "100 ms"));
        // 200 records per checkpoint: checkpoints complete all through the run however loaded the
        // machine, so the failure always meets one to restore from.
        Sinks sinks =
                pipeline(
                        env,
                        generator(RateLimiterStrategy.perCheckpoint(200)),
                        "failure",
                        observations ->
                                observations
                                        .map(new FailOnce())
                                        .returns(TypeInformation.of(RawRecord.class))
                                        .setParallelism(1)
                                        .uid("fail-once"));

        env.execute("with failure");

        assertThat(FailOnce.FAILED.get()).as("the failure was injected").isTrue();
        assertThat(FailOnce.FIRST_INDEX_AFTER_FAILURE.get())
                .as("the sources resumed from a checkpoint, not from the beginning")
                .isGreaterThan(0);
        Result result = sinks.result();
        assertSameStates(result);
        assertThat(result.journal()).isEqualTo(reference.journal());
    }

    // -- helpers

    /** Compares twin by twin, so that a failure names the twins that differ. */
    private static void assertSameStates(Result result) {
        assertThat(result.states().keySet()).isEqualTo(reference.states().keySet());
        for (Map.Entry<String, TwinSnapshot> expected : reference.states().entrySet()) {
            assertThat(result.states().get(expected.getKey()))
                    .as(expected.getKey())
                    .isEqualTo(expected.getValue());
        }
    }

    private static java.util.stream.LongStream indexes() {
        return java.util.stream.LongStream.range(0, RECORDS);
    }

    private static double value(TwinSnapshot snapshot, int idx) {
        return snapshot.state().stream()
                .filter(t -> t.idx() == idx)
                .mapToDouble(Telemetry::value)
                .findFirst()
                .orElseThrow();
    }

    private static StreamExecutionEnvironment environment(
            Path checkpoints, Map<String, String> extra) {
        Configuration conf = TwinJob.requiredConfiguration();
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("execution.checkpointing.interval", "100 ms");
        extra.forEach(conf::setString);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        return env;
    }

    private static DataGeneratorSource<RawRecord> generator(RateLimiterStrategy<?> rate) {
        return new DataGeneratorSource<>(
                new ObservationGenerator(TWINS),
                RECORDS,
                rate,
                TypeInformation.of(RawRecord.class));
    }

    private static Sinks pipeline(
            StreamExecutionEnvironment env,
            DataGeneratorSource<RawRecord> source,
            String name,
            java.util.function.UnaryOperator<DataStream<RawRecord>> beforeJob) {
        // One ordered source, like one Kafka partition: a twin's records arrive in order. BATCH
        // mode sorts each twin's records by timestamp, which is the same order here.
        DataStream<RawRecord> observations =
                beforeJob.apply(
                        env.fromSource(
                                        source,
                                        WatermarkStrategy.<RawRecord>forMonotonousTimestamps()
                                                .withTimestampAssigner(
                                                        (record, ts) -> record.timestamp()),
                                        "observations")
                                .setParallelism(1)
                                .uid("observations"));
        DataStream<RawRecord> control =
                env.fromData(
                                TypeInformation.of(RawRecord.class),
                                Records.createType(
                                        "machine",
                                        ObservationGenerator.PROPS,
                                        List.of(),
                                        ObservationGenerator.TYPE_OPERATORS))
                        .uid("control");
        TwinOutputs outputs = TwinJob.build(observations, control, 50);
        outputs.journal().sinkTo(CollectingSink.named(name + "-journal")).uid("journal-sink");
        outputs.snapshots().sinkTo(CollectingSink.named(name + "-snapshots")).uid("snapshot-sink");
        outputs.events().sinkTo(CollectingSink.named(name + "-events")).uid("event-sink");
        outputs.rejects().sinkTo(CollectingSink.named(name + "-rejects")).uid("reject-sink");
        return new Sinks(name);
    }

    /** Reads a run's sinks the way the journal database stores them. */
    private record Sinks(String name) {
        int journalSize() {
            return CollectingSink.<JournalEntry>received(name + "-journal").size();
        }

        Result result() {
            return Result.of(
                    CollectingSink.received(name + "-journal"),
                    CollectingSink.received(name + "-snapshots"),
                    CollectingSink.received(name + "-events"),
                    CollectingSink.received(name + "-rejects"));
        }
    }

    /**
     * A run's outcome, reduced as the database reduces it: journal rows by (path, sequence), the
     * newest snapshot per twin, events by id.
     */
    private record Result(
            Map<String, JournalEntry> journal,
            Map<String, TwinSnapshot> states,
            Map<String, TwinEvent> events,
            List<Reject> rejects) {

        static Result of(
                List<JournalEntry> journal,
                List<TwinSnapshot> snapshots,
                List<TwinEvent> events,
                List<Reject> rejects) {
            Map<String, JournalEntry> rows = new HashMap<>();
            for (JournalEntry entry : journal) {
                JournalEntry previous =
                        rows.putIfAbsent(entry.path() + "#" + entry.sequence(), entry);
                assertThat(previous).as("a replayed journal row is identical").isIn(null, entry);
            }
            Map<String, TwinSnapshot> states = new HashMap<>();
            for (TwinSnapshot snapshot : snapshots) {
                states.merge(
                        snapshot.path(), snapshot, (a, b) -> a.version() >= b.version() ? a : b);
            }
            Map<String, TwinEvent> byId = new HashMap<>();
            for (TwinEvent event : events) {
                TwinEvent previous = byId.putIfAbsent(event.id(), event);
                assertThat(previous).as("a replayed event is identical").isIn(null, event);
            }
            return new Result(rows, states, byId, rejects);
        }

        Result plus(Result later) {
            Map<String, JournalEntry> rows = new HashMap<>(journal);
            rows.putAll(later.journal);
            Map<String, TwinSnapshot> merged = new HashMap<>(states);
            later.states.forEach(
                    (k, v) -> merged.merge(k, v, (a, b) -> a.version() >= b.version() ? a : b));
            Map<String, TwinEvent> allEvents = new HashMap<>(events);
            allEvents.putAll(later.events);
            return new Result(rows, merged, allEvents, rejects);
        }

        long creations() {
            return events.values().stream().filter(e -> e.type() == EventType.CREATION).count();
        }
    }

    /** Throws once, mid-stream, after a checkpoint has completed. */
    private static final class FailOnce
            implements MapFunction<RawRecord, RawRecord>, CheckpointListener {

        private static final long serialVersionUID = 1L;
        static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicLong FIRST_INDEX_AFTER_FAILURE = new AtomicLong(-1);
        static final AtomicLong THRESHOLD = new AtomicLong();

        static void reset(long failAfterIndex) {
            CHECKPOINTED.set(false);
            FAILED.set(false);
            FIRST_INDEX_AFTER_FAILURE.set(-1);
            THRESHOLD.set(failAfterIndex);
        }

        @Override
        public RawRecord map(RawRecord record) {
            long index = ObservationGenerator.indexOf(record);
            if (FAILED.get()) {
                FIRST_INDEX_AFTER_FAILURE.compareAndSet(-1, index);
            } else if (CHECKPOINTED.get()
                    && index >= THRESHOLD.get()
                    && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at record " + index);
            }
            return record;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED.set(true);
        }
    }
}
