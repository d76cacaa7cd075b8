package org.dtlab.connectors.webhook;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.connectors.testutils.TestReceiver;
import org.dtlab.model.event.WebhookDelivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deliveries a webhook's lane holds at a checkpoint are in the checkpoint: a receiver slower
 * than the event rate makes the lane hold many, the job fails after a checkpoint, and every event
 * still reaches the receiver (at least once, with its Idempotency-Key) after the restore.
 */
class WebhookSinkRecoveryITCase {

    private static final int EVENTS = 60;
    private static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @Test
    void deliveriesHeldAtACheckpointAreDeliveredAfterARestore() throws Exception {
        TestDatabase db = TestDatabase.h2().applySchema();
        try (TestReceiver slow = TestReceiver.answeringAfter(200)) {
            Configuration config = new Configuration();
            config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
            config.set(
                    RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY,
                    Duration.ofMillis(100));
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(config);
            env.setParallelism(1);
            env.enableCheckpointing(100);
            String url = slow.url("/slow");
            env.fromSource(
                            new DataGeneratorSource<>(
                                    i -> i, EVENTS, RateLimiterStrategy.perSecond(50), Types.LONG),
                            WatermarkStrategy.noWatermarks(),
                            "events")
                    .map(
                            new FailOnceAfterACheckpoint(url),
                            TypeInformation.of(WebhookDelivery.class))
                    .sinkTo(
                            WebhookSink.builder()
                                    .setWebhookOptions(
                                            new WebhookOptions(
                                                    5_000, 3, 50, 100, 2, 1_000, 5, 1_000))
                                    .setDeadLetterStore(new JdbcDeadLetterStore(db.options()))
                                    .build());
            env.execute("webhooks through a failure");

            assertThat(FAILED).as("the job failed once").isTrue();
            Set<String> expected =
                    LongStream.range(0, EVENTS)
                            .mapToObj(FailOnceAfterACheckpoint::id)
                            .collect(Collectors.toCollection(TreeSet::new));
            Set<String> received =
                    slow.received().stream()
                            .map(TestReceiver.Received::idempotencyKey)
                            .collect(Collectors.toCollection(TreeSet::new));
            assertThat(received).isEqualTo(expected);
            assertThat(deadLetters(db)).isZero();
        }
    }

    /** Fails the job once, at the first event after a completed checkpoint (from the 20th on). */
    private static final class FailOnceAfterACheckpoint
            implements MapFunction<Long, WebhookDelivery>, CheckpointListener {
        private static final long serialVersionUID = 1L;
        private final String url;

        FailOnceAfterACheckpoint(String url) {
            this.url = url;
        }

        static String id(long i) {
            return "machine/m" + i + "#1#StateChange";
        }

        @Override
        public WebhookDelivery map(Long i) {
            if (i >= 20 && CHECKPOINTED.get() && !FAILED.getAndSet(true)) {
                throw new IllegalStateException("injected failure at event " + i);
            }
            return new WebhookDelivery(id(i), "slow", url, "{\"id\":\"" + id(i) + "\"}");
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED.set(true);
        }
    }

    private static int deadLetters(TestDatabase db) throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM dtlab_dead_letters")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
