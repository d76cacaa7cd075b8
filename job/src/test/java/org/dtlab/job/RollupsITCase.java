package org.dtlab.job;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.dtlab.connectors.kafka.KafkaOptions;
import org.dtlab.connectors.kafka.KafkaSources;
import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.job.backtest.BacktestPipeline.TwinOrder;
import org.dtlab.job.config.EventTimeOptions;
import org.dtlab.job.testutils.BatchBacktest;
import org.dtlab.job.testutils.CollectingSink;
import org.dtlab.job.testutils.Jobs;
import org.dtlab.job.testutils.Records;
import org.dtlab.job.testutils.RunResult;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.logic.ReferenceRun;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.spec.RollupSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.model.telemetry.TwinPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Roll-ups across three levels (rooms → floors → buildings, with an alarm on a building's roll-up
 * and the buildings' own telemetry among their children's reports) give the Flink-free model's
 * final states and events live — from a real Kafka broker at parallelism 2, where reports reach a
 * parent in any order, with a failure in the middle restored from a checkpoint — and in a BATCH
 * back-test of the same archive, with Flink's sort and without.
 */
class RollupsITCase {

    private static final Instant T0 = Instant.parse("2026-02-02T06:00:00Z");

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final TwinType ROOM =
            new TwinType("room", List.of("temp", "occupied"), null, null, null);
    static final TwinType FLOOR =
            new TwinType(
                    "floor",
                    List.of("avg_temp", "max_temp", "rooms_hot", "rooms"),
                    List.of("room"),
                    null,
                    List.of(
                            rollup("avg_temp", "room", "temp", "avg", null, 0),
                            rollup("max_temp", "room", "temp", "max", null, 1),
                            rollup(
                                    "rooms_hot",
                                    "room",
                                    "temp",
                                    "count_where",
                                    "temp > 26.0 && occupied > 0.0",
                                    2),
                            rollup("rooms", "room", "temp", "count", null, 3)),
                    null);
    static final TwinType BUILDING =
            new TwinType(
                    "building",
                    List.of("avg_temp", "rooms_hot", "too_warm", "setpoint", "gap"),
                    List.of("floor"),
                    List.of(
                            new OperatorSpec(
                                    "too_warm",
                                    "alarm",
                                    null,
                                    List.of(0),
                                    List.of(2),
                                    null,
                                    null,
                                    "avg_temp > 24.5",
                                    "avg_temp < 23.5",
                                    null,
                                    "critical",
                                    null,
                                    null),
                            new OperatorSpec(
                                    "gap",
                                    "expr",
                                    null,
                                    List.of(0, 3),
                                    List.of(4),
                                    null,
                                    "avg_temp - setpoint",
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null)),
                    List.of(
                            rollup("avg_temp", "floor", "avg_temp", "avg", null, 0),
                            rollup("rooms_hot", "floor", "rooms_hot", "sum", null, 1)),
                    null);

    /** A twin type without roll-ups: its one record moves event time past everything. */
    static final TwinType CLOCK = new TwinType("clock", List.of("tick"), null, null, null);

    private static final List<TwinType> TYPES = List.of(ROOM, FLOOR, BUILDING, CLOCK);

    @Test
    void liveWithARestoreAndBatchGiveTheModelsResults(@TempDir Path dir) throws Exception {
        List<TwinMessage> archive = archive();
        List<String> specs =
                TYPES.stream()
                        .map(t -> Records.json(ControlMessage.createType("c-" + t.name(), T0, t)))
                        .toList();
        Path file = dir.resolve("archive.ndjson");
        Files.write(file, archive.stream().map(Records::json).toList());

        RunResult model = model(archive);
        RunResult batch = BatchBacktest.run(file, specs, "roll-ups: batch");
        RunResult unsorted =
                BatchBacktest.run(file, specs, "roll-ups: batch, no sort", TwinOrder.CHECKED);
        // Not in the @TempDir: Flink may still be removing a cancelled job's checkpoints when it is
        // deleted.
        RunResult live =
                live(
                        archive,
                        specs,
                        model,
                        Files.createTempDirectory(Path.of("target"), "rollups-checkpoints"));

        assertThat(model.states()).containsKeys("building/b0", "building/b1/floor/f1");
        assertThat(model.events().values())
                .filteredOn(e -> e.type() == EventType.ALARM_RAISED)
                .as("the building's alarm on its roll-up fires")
                .isNotEmpty();
        assertThat(FailOnceAfterCheckpoint.FAILED.get())
                .as("the failure was injected after a checkpoint")
                .isTrue();
        assertThat(batch.states()).isEqualTo(model.states());
        assertThat(batch.events()).isEqualTo(model.events());
        assertThat(unsorted.states()).isEqualTo(model.states());
        assertThat(unsorted.events()).isEqualTo(model.events());
        assertThat(live.states()).isEqualTo(model.states());
        assertThat(live.events()).isEqualTo(model.events());
    }

    private static RollupSpec rollup(
            String name, String child, String property, String agg, String where, int output) {
        return new RollupSpec(name, child, property, agg, where, List.of(output));
    }

    /** Rooms in time order with their buildings' setpoints among them, then the clock. */
    private static List<TwinMessage> archive() {
        Random random = new Random(11);
        List<TwinMessage> messages = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            for (int f = 0; f < 2; f++) {
                for (int r = 0; r < 4; r++) {
                    String room = "building/b" + b + "/floor/f" + f + "/room/r" + r;
                    Instant t = T0.plusMillis(b * 1000 + f * 100 + r * 10);
                    for (int i = 0; i < 40; i++) {
                        t = t.plusMillis(1000 + random.nextInt(30_000));
                        messages.add(
                                TwinMessage.telemetry(room, 0, 18 + random.nextInt(110) / 10.0, t));
                        if (random.nextInt(5) == 0) {
                            messages.add(
                                    TwinMessage.telemetry(
                                            room, 1, random.nextInt(2), t.plusMillis(1)));
                        }
                    }
                }
            }
            for (int i = 0; i < 10; i++) {
                messages.add(
                        TwinMessage.telemetry(
                                "building/b" + b, 3, 20 + i % 4, T0.plusSeconds(60L * i + 7)));
            }
        }
        messages.sort(Comparator.comparing(TwinMessage::datetime));
        Instant last = messages.get(messages.size() - 1).datetime();
        messages.add(TwinMessage.telemetry("clock/c", 0, 1, last.plus(Duration.ofDays(1))));
        return messages;
    }

    private static RunResult model(List<TwinMessage> archive) {
        Registry registry = Registry.empty();
        for (TwinType type : TYPES) {
            registry =
                    registry.apply(ControlMessage.createType("c-" + type.name(), T0, type))
                            .registry();
        }
        return RunResult.of(ReferenceRun.run(registry, archive, Long.MAX_VALUE));
    }

    private static RunResult live(
            List<TwinMessage> archive, List<String> specs, RunResult expected, Path checkpoints)
            throws Exception {
        String prefix = "rollups" + System.nanoTime();
        KAFKA.createTopics(2, prefix + ".observations");
        KAFKA.createTopics(1, prefix + ".control");
        for (int i = 0; i < TYPES.size(); i++) {
            KAFKA.send(prefix + ".control", "type/" + TYPES.get(i).name(), specs.get(i));
        }
        KafkaOptions kafka =
                new KafkaOptions(
                        KAFKA.bootstrapServers(),
                        prefix + ".observations",
                        prefix + ".control",
                        prefix,
                        KafkaOptions.DEFAULT_MAX_RECORD_BYTES,
                        Map.of());
        Configuration conf = TwinJob.requiredConfiguration();
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("execution.checkpointing.interval", "200 ms");
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "3");
        conf.setString("restart-strategy.fixed-delay.delay", "200 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        FailOnceAfterCheckpoint.reset();
        DataStream<RawRecord> observations =
                env.fromSource(
                                KafkaSources.observations(kafka),
                                WatermarkStrategy.noWatermarks(),
                                "observations")
                        .map(new FailOnceAfterCheckpoint())
                        .returns(TypeInformation.of(RawRecord.class));
        DataStream<RawRecord> control =
                env.fromSource(
                                KafkaSources.control(kafka),
                                WatermarkStrategy.noWatermarks(),
                                "control")
                        .setParallelism(1);
        TwinOutputs outputs =
                TwinJob.build(
                        observations,
                        control,
                        0,
                        EventTimeOptions.observationsOnly(),
                        List.of(),
                        TwinPath.MAX_LEVELS);
        outputs.events().sinkTo(CollectingSink.named("rollup-live-events"));
        outputs.snapshots().sinkTo(CollectingSink.named("rollup-live-snapshots"));
        outputs.specChanges().sinkTo(CollectingSink.named("rollup-live-specs"));
        JobClient job = env.executeAsync("roll-ups: live");
        try {
            await().atMost(Duration.ofMinutes(1))
                    .until(
                            () ->
                                    CollectingSink.received("rollup-live-specs").size()
                                            == TYPES.size());
            int half = archive.size() / 2;
            KAFKA.sendAll(
                    prefix + ".observations",
                    archive.subList(0, half).stream()
                            .map(m -> Map.entry(m.path(), Records.json(m)))
                            .toList());
            // The second half only once a checkpoint holds part of the first: the failure it meets
            // is then restored from that checkpoint, not from the beginning.
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> FailOnceAfterCheckpoint.PASSED_AFTER_CHECKPOINT.get() > 0);
            KAFKA.sendAll(
                    prefix + ".observations",
                    archive.subList(half, archive.size()).stream()
                            .map(m -> Map.entry(m.path(), Records.json(m)))
                            .toList());
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    RunResult.of(
                                                    CollectingSink.received("rollup-live-events"),
                                                    CollectingSink.received(
                                                            "rollup-live-snapshots"))
                                            .equals(expected));
        } finally {
            Jobs.cancel(job);
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> job.getJobStatus().get().isGloballyTerminalState());
        }
        return RunResult.of(
                CollectingSink.received("rollup-live-events"),
                CollectingSink.received("rollup-live-snapshots"));
    }

    /** Fails the job once, at the first record after a checkpoint completed with records in it. */
    static final class FailOnceAfterCheckpoint
            implements MapFunction<RawRecord, RawRecord>, CheckpointListener {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicInteger PASSED_AFTER_CHECKPOINT = new AtomicInteger();
        private static final AtomicInteger SEEN = new AtomicInteger();
        private static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();

        static void reset() {
            FAILED.set(false);
            PASSED_AFTER_CHECKPOINT.set(0);
            SEEN.set(0);
            CHECKPOINTED.set(false);
        }

        @Override
        public RawRecord map(RawRecord record) {
            int seen = SEEN.incrementAndGet();
            if (CHECKPOINTED.get()
                    && !FAILED.get()
                    && PASSED_AFTER_CHECKPOINT.get() > 0
                    && seen > 1) {
                FAILED.set(true);
                throw new IllegalStateException("injected failure");
            }
            return record;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (SEEN.get() > 0 && CHECKPOINTED.compareAndSet(false, true)) {
                PASSED_AFTER_CHECKPOINT.incrementAndGet();
            }
        }
    }
}
