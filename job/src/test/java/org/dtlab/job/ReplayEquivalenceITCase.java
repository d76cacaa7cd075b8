package org.dtlab.job;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import org.awaitility.core.ConditionTimeoutException;
import org.dtlab.connectors.kafka.KafkaOptions;
import org.dtlab.connectors.kafka.KafkaSources;
import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.job.backtest.BacktestPipeline.TwinOrder;
import org.dtlab.job.config.EventTimeOptions;
import org.dtlab.job.runtime.OutOfOrderInputException;
import org.dtlab.job.testutils.BatchBacktest;
import org.dtlab.job.testutils.CollectingSink;
import org.dtlab.job.testutils.Jobs;
import org.dtlab.job.testutils.Records;
import org.dtlab.job.testutils.RunResult;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.logic.ReferenceRun;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.spec.OperatorSpec;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Rule 2, proven: one archive that exercises every programmable operator — with quiet gaps that
 * trip {@code for} alarms and staleness, and windows that close with no telemetry after them —
 * gives the same final states and the same events (ids, times, values, alarms) in the live job
 * (STREAMING from a real Kafka broker, timers fired by watermarks), in a BATCH back-test (timers
 * fired after each twin's records), in a BATCH back-test without the sort (one-input twin operator,
 * timers fired at the end of all records) and in the Flink-free model.
 */
class ReplayEquivalenceITCase {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final int TWINS = 6;
    private static final int PER_TWIN = 120;

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    static final TwinType SENSOR =
            new TwinType(
                    "sensor",
                    List.of(
                            "v",
                            "f",
                            "hot",
                            "quiet",
                            "avg",
                            "rate",
                            "counter",
                            "ewma",
                            "integral",
                            "delta",
                            "peak"),
                    null,
                    List.of(
                            spec(
                                    "f",
                                    "expr",
                                    1,
                                    "v * 1.8 + 32",
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null),
                            spec(
                                    "hot",
                                    "alarm",
                                    2,
                                    null,
                                    "v > 60",
                                    "v < 40",
                                    "PT2M",
                                    "critical",
                                    null,
                                    null),
                            spec(
                                    "quiet", "stale", 3, null, null, null, "PT5M", "warning", null,
                                    null),
                            spec("avg", "window", 4, null, null, null, null, null, "avg", "PT1M"),
                            spec("rate", "rate", 5, null, null, null, null, null, null, null),
                            spec("counter", "counter", 6, null, null, null, null, null, null, null),
                            new OperatorSpec(
                                    "ewma", "ewma", List.of(0.3), List.of(0), List.of(7), null),
                            spec(
                                    "integral",
                                    "integral",
                                    8,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null),
                            spec("delta", "delta", 9, null, "v > 10", null, null, null, null, null),
                            spec(
                                    "peak", "window", 10, null, null, null, null, null, "max",
                                    "PT10M")),
                    null);

    /** A twin type without operators: its one record moves event time past every deadline. */
    static final TwinType CLOCK = new TwinType("clock", List.of("tick"), null, null, null);

    @Test
    void liveStreamingBatchAndTheModelAgree(@TempDir Path dir) throws Exception {
        List<TwinMessage> archive = archive();
        List<String> specs =
                List.of(
                        Records.json(ControlMessage.createType("c1", T0, SENSOR)),
                        Records.json(ControlMessage.createType("c2", T0, CLOCK)));
        Path file = dir.resolve("archive.ndjson");
        Files.write(file, archive.stream().map(Records::json).toList());

        RunResult model = model(archive);
        RunResult batch = BatchBacktest.run(file, specs, "replay equivalence: batch");
        RunResult unsorted =
                BatchBacktest.run(
                        file, specs, "replay equivalence: batch, no sort", TwinOrder.CHECKED);
        RunResult live = live(archive, specs, model);

        assertThat(model.events().values())
                .filteredOn(e -> e.type() == EventType.ALARM_RAISED)
                .as("the archive trips for-alarms and staleness")
                .anySatisfy(e -> assertThat(e.alarm().name()).isEqualTo("hot"))
                .anySatisfy(e -> assertThat(e.alarm().name()).isEqualTo("quiet"));
        assertThat(model.events().keySet())
                .as("window closes and alarms fired by timers")
                .anyMatch(id -> id.contains("@"));
        assertThat(batch.states()).isEqualTo(model.states());
        assertThat(batch.events()).isEqualTo(model.events());
        assertThat(unsorted.states()).isEqualTo(model.states());
        assertThat(unsorted.events()).isEqualTo(model.events());
        assertThat(live.states()).isEqualTo(model.states());
        assertThat(live.events()).isEqualTo(model.events());
    }

    /**
     * Without the sort, a twin's records must arrive in strictly increasing event time: a record
     * earlier than its twin's previous one, or at the same instant, fails the back-test (which
     * {@code dtlab backtest} then runs again with the sort), naming the twin.
     */
    @Test
    void anArchiveOutOfOrderPerTwinFailsTheBacktestWithoutTheSort(@TempDir Path dir)
            throws Exception {
        List<String> specs = List.of(Records.json(ControlMessage.createType("c1", T0, SENSOR)));
        Instant t = T0.plusSeconds(60);
        List<TwinMessage> backwards =
                List.of(
                        TwinMessage.telemetry("sensor/a", 0, 1, t),
                        TwinMessage.telemetry("sensor/b", 0, 1, t.plusSeconds(1)),
                        TwinMessage.telemetry("sensor/b", 0, 2, t));
        List<TwinMessage> sameInstant =
                List.of(
                        TwinMessage.telemetry("sensor/a", 0, 1, t),
                        TwinMessage.telemetry("sensor/c", 0, 1, t),
                        TwinMessage.telemetry("sensor/c", 0, 2, t));
        for (var archive : Map.of("b", backwards, "c", sameInstant).entrySet()) {
            Path file = dir.resolve("archive-" + archive.getKey() + ".ndjson");
            Files.write(file, archive.getValue().stream().map(Records::json).toList());

            assertThatThrownBy(
                            () ->
                                    BatchBacktest.run(
                                            file,
                                            specs,
                                            "out of order " + archive.getKey(),
                                            TwinOrder.CHECKED))
                    .satisfies(
                            e ->
                                    assertThat(
                                                    ExceptionUtils.findThrowable(
                                                            e, OutOfOrderInputException.class))
                                            .hasValueSatisfying(
                                                    o ->
                                                            assertThat(o.path())
                                                                    .isEqualTo(
                                                                            "sensor/"
                                                                                    + archive
                                                                                            .getKey())));
            // With the sort, the same archive runs.
            assertThat(
                            BatchBacktest.run(file, specs, "sorted " + archive.getKey())
                                    .states()
                                    .keySet())
                    .contains("sensor/" + archive.getKey());
        }
    }

    /** Twins in time order; gaps of seconds, sometimes of minutes (quiet twins), then the clock. */
    private static List<TwinMessage> archive() {
        Random random = new Random(42);
        List<TwinMessage> messages = new ArrayList<>();
        for (int twin = 0; twin < TWINS; twin++) {
            Instant t = T0.plusMillis(twin * 137);
            for (int i = 0; i < PER_TWIN; i++) {
                t =
                        t.plusMillis(
                                random.nextInt(12) == 0
                                        ? 60_000 + random.nextInt(900_000)
                                        : 500 + random.nextInt(20_000));
                messages.add(TwinMessage.telemetry("sensor/s" + twin, 0, random.nextInt(100), t));
            }
        }
        messages.sort(Comparator.comparing(TwinMessage::datetime));
        Instant last = messages.get(messages.size() - 1).datetime();
        messages.add(TwinMessage.telemetry("clock/c", 0, 1, last.plus(Duration.ofDays(1))));
        return messages;
    }

    private static RunResult model(List<TwinMessage> archive) {
        Registry registry = Registry.empty();
        registry = registry.apply(ControlMessage.createType("c1", T0, SENSOR)).registry();
        registry = registry.apply(ControlMessage.createType("c2", T0, CLOCK)).registry();
        // Event time has passed every deadline: the clock's record is a day after the last one.
        long end = archive.get(archive.size() - 1).datetime().toEpochMilli();
        return RunResult.of(ReferenceRun.run(registry, archive, end));
    }

    /**
     * The archive through the live job. It waits for the model's events and then for its states (at
     * most two minutes each; a difference that remains is the assertion's to show): the events and
     * the state snapshots reach their sinks through different tasks, so the last events can arrive
     * before the snapshots they go with, and cancelling then would lose those.
     */
    private static RunResult live(List<TwinMessage> archive, List<String> specs, RunResult model)
            throws Exception {
        String prefix = "replay" + System.nanoTime();
        KAFKA.createTopics(1, prefix + ".observations", prefix + ".control");
        KAFKA.send(prefix + ".control", "type/sensor", specs.get(0));
        KAFKA.send(prefix + ".control", "type/clock", specs.get(1));
        KafkaOptions kafka =
                new KafkaOptions(
                        KAFKA.bootstrapServers(),
                        prefix + ".observations",
                        prefix + ".control",
                        prefix,
                        KafkaOptions.DEFAULT_MAX_RECORD_BYTES,
                        Map.of());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(TwinJob.requiredConfiguration());
        env.setParallelism(1);
        DataStream<RawRecord> observations =
                env.fromSource(
                        KafkaSources.observations(kafka),
                        WatermarkStrategy.noWatermarks(),
                        "observations");
        DataStream<RawRecord> control =
                env.fromSource(
                        KafkaSources.control(kafka), WatermarkStrategy.noWatermarks(), "control");
        TwinOutputs outputs =
                TwinJob.build(
                        observations,
                        control,
                        0,
                        EventTimeOptions.observationsOnly(),
                        List.of(),
                        TwinPath.MAX_LEVELS);
        outputs.events().sinkTo(CollectingSink.named("live-events"));
        outputs.snapshots().sinkTo(CollectingSink.named("live-snapshots"));
        outputs.specChanges().sinkTo(CollectingSink.named("live-specs"));
        JobClient job = env.executeAsync("replay equivalence: live");
        try {
            // The types first, as a user defines them before sending data (these records carry no
            // controlVersion, so nothing would hold them back: docs/decisions.md §8).
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> CollectingSink.received("live-specs").size() == 2);
            KAFKA.sendAll(
                    prefix + ".observations",
                    archive.stream().map(m -> Map.entry(m.path(), Records.json(m))).toList());
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    CollectingSink.<TwinEvent>received("live-events").stream()
                                                    .map(TwinEvent::id)
                                                    .distinct()
                                                    .count()
                                            >= model.events().size());
            try {
                await().atMost(Duration.ofMinutes(2))
                        .ignoreExceptions()
                        .until(
                                () ->
                                        RunResult.of(
                                                        CollectingSink.received("live-events"),
                                                        CollectingSink.received("live-snapshots"))
                                                .states()
                                                .equals(model.states()));
            } catch (ConditionTimeoutException e) {
                // the states still differ: the assertions show how
            }
        } finally {
            Jobs.cancel(job);
        }
        return RunResult.of(
                CollectingSink.received("live-events"), CollectingSink.received("live-snapshots"));
    }

    private static OperatorSpec spec(
            String name,
            String implementation,
            int out,
            String expr,
            String when,
            String clear,
            String forDuration,
            String severity,
            String agg,
            String size) {
        return new OperatorSpec(
                name,
                implementation,
                null,
                List.of(0),
                List.of(out),
                null,
                expr,
                when,
                clear,
                forDuration,
                severity,
                agg,
                size);
    }
}
