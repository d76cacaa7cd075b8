package org.dtlab.connectors.webhook;

import org.apache.flink.api.common.typeinfo.TypeInformation;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The webhook sink in a real job against real HTTP receivers that behave well and badly. */
class WebhookSinkITCase {

    private static final int EVENTS = 40;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void deliversRetriesAndDeadLettersWithoutFailingTheJob() throws Exception {
        TestDatabase db = TestDatabase.h2();
        db.applySchema();
        try (TestReceiver ok = TestReceiver.answering(202);
                TestReceiver flaky = TestReceiver.failingFirst(2, 503);
                TestReceiver throttling = TestReceiver.failingFirst(2, 429);
                TestReceiver rejecting = TestReceiver.answering(400);
                TestReceiver silent = TestReceiver.silent()) {
            Map<String, String> hooks = new HashMap<>();
            hooks.put("ok", ok.url("/hooks/ok"));
            hooks.put("flaky", flaky.url("/hooks/flaky"));
            hooks.put("throttling", throttling.url("/hooks/throttling"));
            hooks.put("rejecting", rejecting.url("/hooks/rejecting"));
            hooks.put("silent", silent.url("/hooks/silent"));
            hooks.put("down", TestReceiver.nothingListening("/hooks/down"));
            List<WebhookDelivery> deliveries = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                String id = "machine/m" + i + "#1#StateChange";
                for (Map.Entry<String, String> hook : hooks.entrySet()) {
                    deliveries.add(
                            new WebhookDelivery(
                                    id, hook.getKey(), hook.getValue(), "{\"id\":\"" + id + "\"}"));
                }
            }
            // The circuit breakers stay closed here (an unreachable threshold): this test counts
            // retries.
            WebhookOptions options =
                    new WebhookOptions(1_000, 3, 20, 100, 8, 500, Integer.MAX_VALUE, 1);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.fromData(
                            TypeInformation.of(WebhookDelivery.class),
                            deliveries.toArray(WebhookDelivery[]::new))
                    .sinkTo(
                            WebhookSink.builder()
                                    .setWebhookOptions(options)
                                    .setDeadLetterStore(new JdbcDeadLetterStore(db.options()))
                                    .build());
            env.execute("webhooks");

            assertThat(ok.received())
                    .hasSize(EVENTS)
                    .allSatisfy(
                            r -> {
                                assertThat(r.contentType()).isEqualTo("application/json");
                                assertThat(r.body())
                                        .isEqualTo("{\"id\":\"" + r.idempotencyKey() + "\"}");
                            });
            assertThat(ok.calls()).as("no repeats to a receiver that answered").isEqualTo(EVENTS);
            assertThat(flaky.received()).hasSize(EVENTS);
            assertThat(flaky.calls()).isEqualTo(EVENTS + 2);
            assertThat(throttling.received()).hasSize(EVENTS);
            assertThat(rejecting.calls()).as("a 400 is not retried").isEqualTo(EVENTS);
            assertThat(silent.calls()).isEqualTo(3 * EVENTS);

            await().untilAsserted(() -> assertThat(deadLetters(db)).hasSize(3 * EVENTS));
            Map<String, List<String>> byHook = new HashMap<>();
            for (String row : deadLetters(db)) {
                byHook.computeIfAbsent(row.split("\\|")[0], k -> new ArrayList<>()).add(row);
            }
            assertThat(byHook.get("rejecting"))
                    .hasSize(EVENTS)
                    .allSatisfy(r -> assertThat(r).endsWith("|400|HTTP 400|1"));
            assertThat(byHook.get("silent"))
                    .hasSize(EVENTS)
                    .allSatisfy(r -> assertThat(r).endsWith("|null|timeout|3"));
            assertThat(byHook.get("down"))
                    .hasSize(EVENTS)
                    .allSatisfy(
                            r -> assertThat(r).contains("|null|ConnectException").endsWith("|3"));
        }
    }

    private static List<String> deadLetters(TestDatabase db) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT webhook, status, reason, attempts FROM"
                                        + " dtlab_dead_letters")) {
            while (rs.next()) {
                rows.add(
                        rs.getString(1)
                                + "|"
                                + rs.getObject(2)
                                + "|"
                                + rs.getString(3)
                                + "|"
                                + rs.getInt(4));
            }
        }
        return rows;
    }
}
