package org.dtlab.connectors.webhook;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;

import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.connectors.testutils.TestReceiver;
import org.dtlab.model.event.WebhookDelivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One slow, failing or down receiver never slows the deliveries to another: real HTTP receivers on
 * 127.0.0.1, a real job emitting events at a steady rate, each event to every webhook. The healthy
 * receiver's latency (event emitted → POST arrived) is measured with and without the bad receivers
 * and written to {@code target/webhook-latency.txt}; the test asserts only a bound generous enough
 * for a loaded CI machine.
 */
class WebhookIsolationITCase {

    private static final int EVENTS = 200;
    private static final int PER_SECOND = 50;

    /**
     * Generous: a healthy delivery takes milliseconds; the bad receivers' timeouts are 1 s, their
     * answers 30 s.
     */
    private static final long HEALTHY_BOUND_MS = 3_000;

    private static final Pattern SENT_AT = Pattern.compile("\"sentAtMs\":(\\d+)");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void aSlowAFailingAndADownReceiverDoNotDelayAHealthyOne() throws Exception {
        TestDatabase db = TestDatabase.h2().applySchema();
        WebhookOptions options = new WebhookOptions(1_000, 3, 100, 400, 4, 100, 5, 2_000);

        List<Long> alone;
        try (TestReceiver healthy = TestReceiver.answering(200)) {
            start(Map.of("healthy", healthy.url("/healthy")), options, db)
                    .getJobExecutionResult()
                    .get(2, TimeUnit.MINUTES);
            alone = latencies(healthy);
        }

        List<Long> withBadNeighbours;
        try (TestReceiver healthy = TestReceiver.answering(200);
                TestReceiver slow = TestReceiver.answeringAfter(30_000);
                TestReceiver failing = TestReceiver.answering(500)) {
            Map<String, String> hooks = new HashMap<>();
            hooks.put("healthy", healthy.url("/healthy"));
            hooks.put("slow", slow.url("/slow"));
            hooks.put("failing", failing.url("/failing"));
            hooks.put("down", TestReceiver.nothingListening("/down"));
            JobClient job = start(hooks, options, db);

            await().atMost(Duration.ofMinutes(1)).until(() -> healthy.received().size() >= EVENTS);
            withBadNeighbours = latencies(healthy);
            assertThat(slow.calls()).as("the slow receiver was tried").isPositive();
            assertThat(slow.received()).as("and has not answered any delivery yet").isEmpty();
            assertThat(withBadNeighbours)
                    .hasSize(EVENTS)
                    .allSatisfy(ms -> assertThat(ms).isLessThan(HEALTHY_BOUND_MS));

            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
            assertThat(healthy.calls()).as("no repeats to the healthy receiver").isEqualTo(EVENTS);
            await().untilAsserted(() -> assertThat(deadLetters(db, "slow")).hasSize(EVENTS));
            await().untilAsserted(() -> assertThat(deadLetters(db, "failing")).hasSize(EVENTS));
            await().untilAsserted(() -> assertThat(deadLetters(db, "down")).hasSize(EVENTS));
            assertThat(deadLetters(db, "healthy")).isEmpty();
            assertThat(deadLetters(db, "failing"))
                    .as("the breaker dead-letters without trying")
                    .anySatisfy(reason -> assertThat(reason).startsWith("circuit open: "));
            assertThat(failing.calls())
                    .as("the breaker spares a failing receiver most attempts")
                    .isLessThan(EVENTS);
        }

        String report =
                "healthy receiver latency, "
                        + EVENTS
                        + " events at "
                        + PER_SECOND
                        + "/s: alone p50 "
                        + percentile(alone, 50)
                        + " ms, p99 "
                        + percentile(alone, 99)
                        + " ms, max "
                        + percentile(alone, 100)
                        + " ms; next to a slow (30 s), a failing (500) and a down receiver p50 "
                        + percentile(withBadNeighbours, 50)
                        + " ms, p99 "
                        + percentile(withBadNeighbours, 99)
                        + " ms, max "
                        + percentile(withBadNeighbours, 100)
                        + " ms\n";
        System.out.print(report);
        Files.writeString(Path.of("target", "webhook-latency.txt"), report, StandardCharsets.UTF_8);
    }

    @Test
    void aReceiverThatCannotKeepUpOverflowsIntoDeadLettersNotIntoTheJob() throws Exception {
        TestDatabase db = TestDatabase.h2().applySchema();
        // No breaker (an unreachable threshold), one attempt, at most 100 deliveries held per
        // webhook (room for the source's first burst): the rest of the slow receiver's deliveries
        // are dead-lettered at once instead of holding back the job.
        WebhookOptions options =
                new WebhookOptions(1_000, 1, 100, 100, 8, 100, Integer.MAX_VALUE, 1);
        try (TestReceiver healthy = TestReceiver.answering(200);
                TestReceiver slow = TestReceiver.answeringAfter(30_000)) {
            JobClient job =
                    start(
                            Map.of("healthy", healthy.url("/healthy"), "slow", slow.url("/slow")),
                            options,
                            db);

            await().atMost(Duration.ofMinutes(1)).until(() -> healthy.received().size() >= EVENTS);
            assertThat(latencies(healthy))
                    .allSatisfy(ms -> assertThat(ms).isLessThan(HEALTHY_BOUND_MS));
            job.getJobExecutionResult().get(2, TimeUnit.MINUTES);

            await().untilAsserted(() -> assertThat(deadLetters(db, "slow")).hasSize(EVENTS));
            assertThat(deadLetters(db, "slow"))
                    .anySatisfy(
                            reason ->
                                    assertThat(reason)
                                            .startsWith("queue full: 100 deliveries held"))
                    .anySatisfy(reason -> assertThat(reason).isEqualTo("timeout"));
        }
    }

    /**
     * Starts a job that emits {@link #EVENTS} events at {@link #PER_SECOND}, each to every webhook.
     */
    private static JobClient start(
            Map<String, String> hooks, WebhookOptions options, TestDatabase db) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        DataGeneratorSource<Long> events =
                new DataGeneratorSource<>(
                        i -> i, EVENTS, RateLimiterStrategy.perSecond(PER_SECOND), Types.LONG);
        env.fromSource(events, WatermarkStrategy.noWatermarks(), "events")
                .flatMap(
                        new ToEveryWebhook(new HashMap<>(hooks)),
                        TypeInformation.of(WebhookDelivery.class))
                .sinkTo(
                        WebhookSink.builder()
                                .setWebhookOptions(options)
                                .setDeadLetterStore(new JdbcDeadLetterStore(db.options()))
                                .build());
        return env.executeAsync("webhook isolation");
    }

    /** Each event to every webhook, stamped with the time it leaves for the sink. */
    private static final class ToEveryWebhook implements FlatMapFunction<Long, WebhookDelivery> {
        private static final long serialVersionUID = 1L;
        private final HashMap<String, String> hooks;

        ToEveryWebhook(HashMap<String, String> hooks) {
            this.hooks = hooks;
        }

        @Override
        public void flatMap(Long i, Collector<WebhookDelivery> out) {
            String id = "machine/m" + i + "#1#StateChange";
            String payload =
                    "{\"id\":\"" + id + "\",\"sentAtMs\":" + System.currentTimeMillis() + "}";
            hooks.forEach((name, url) -> out.collect(new WebhookDelivery(id, name, url, payload)));
        }
    }

    private static List<Long> latencies(TestReceiver receiver) {
        List<Long> latencies = new ArrayList<>();
        for (TestReceiver.Received r : receiver.received()) {
            Matcher m = SENT_AT.matcher(r.body());
            assertThat(m.find()).isTrue();
            latencies.add(r.arrivedAtMs() - Long.parseLong(m.group(1)));
        }
        latencies.sort(null);
        return latencies;
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static List<String> deadLetters(TestDatabase db, String webhook) throws Exception {
        List<String> reasons = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT reason FROM dtlab_dead_letters WHERE webhook = '"
                                        + webhook
                                        + "'")) {
            while (rs.next()) {
                reasons.add(rs.getString(1));
            }
        }
        return reasons;
    }
}
