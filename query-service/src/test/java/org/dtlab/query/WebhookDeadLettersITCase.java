package org.dtlab.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.connectors.testutils.TestReceiver;
import org.dtlab.connectors.webhook.DeadLetter;
import org.dtlab.connectors.webhook.DeadLetterStore;
import org.dtlab.connectors.webhook.JdbcDeadLetterStore;
import org.dtlab.model.event.WebhookDelivery;
import org.dtlab.model.json.Json;
import org.dtlab.query.config.QueryServiceConfig;
import org.dtlab.query.testutils.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead letters through the API: written by the webhook sink's own store (the query service has no
 * Flink; WebhookIsolationITCase has the sink write them in a job) for a receiver that is down; the
 * API lists them; a re-send while it is still down fails once and stops; once the receiver is back,
 * a re-send delivers every one with the sink's body and Idempotency-Key (the event id).
 */
class WebhookDeadLettersITCase {

    private static final String PREFIX = "/dtlab-alligator";
    private static final ObjectMapper JSON = Json.mapper();
    private static final int EVENTS = 12;

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @Test
    void deadLettersAreListedAndReSentWithTheSameIdempotencyKeyOnceTheReceiverIsBack()
            throws Exception {
        TestDatabase db = TestDatabase.h2().applySchema();
        int port = TestReceiver.freePort();
        try (QueryService service = QueryService.start(config(db))) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + service.port() + PREFIX, null);
            assertThat(
                            api.post(
                                            "/webhook/fleet",
                                            "{\"target\":{\"host\":\"127.0.0.1\",\"port\":"
                                                    + port
                                                    + ",\"path\":\"/hook\"},\"dtType\":\"*\",\"eventType\":\"StateChange\"}")
                                    .statusCode())
                    .isEqualTo(201);

            // Dead letters as the sink writes them: after failed attempts, and while its breaker
            // was open.
            List<WebhookDelivery> deliveries = new ArrayList<>();
            try (DeadLetterStore.Writer store = new JdbcDeadLetterStore(db.options()).open()) {
                for (int i = 0; i < EVENTS; i++) {
                    String id = "machine/m" + i + "#1#StateChange";
                    WebhookDelivery delivery =
                            new WebhookDelivery(
                                    id,
                                    "fleet",
                                    "http://127.0.0.1:" + port + "/hook",
                                    "{\"id\":\""
                                            + id
                                            + "\",\"eventType\":\"StateChange\",\"event\":[{\"idx\":0,\"value\":9.0}]}");
                    deliveries.add(delivery);
                    store.write(
                            new DeadLetter(
                                    id,
                                    "fleet",
                                    delivery.url(),
                                    null,
                                    i < 3
                                            ? "ConnectException"
                                            : "circuit open: 3 failed attempts in a row (last:"
                                                    + " ConnectException)",
                                    i < 3 ? 2 : 0,
                                    delivery.payload(),
                                    Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
                }
            }

            HttpResponse<String> listed = api.get("/webhook/fleet/deadletters");
            assertThat(listed.statusCode()).isEqualTo(200);
            JsonNode letters = JSON.readTree(listed.body());
            assertThat(letters).hasSize(EVENTS);
            assertThat(letters.findValuesAsText("eventId"))
                    .as("oldest first")
                    .containsExactlyElementsOf(
                            deliveries.stream().map(WebhookDelivery::eventId).toList());
            assertThat(letters.get(0).get("payload").get("event").get(0).get("value").asDouble())
                    .isEqualTo(9.0);
            assertThat(letters.findValuesAsText("reason"))
                    .anySatisfy(r -> assertThat(r).startsWith("ConnectException"))
                    .anySatisfy(
                            r ->
                                    assertThat(r)
                                            .startsWith(
                                                    "circuit open: 3 failed attempts in a row"));
            JsonNode page =
                    JSON.readTree(api.get("/webhook/fleet/deadletters?limit=2&offset=1").body());
            assertThat(page.findValuesAsText("eventId"))
                    .containsExactly(
                            letters.get(1).get("eventId").asText(),
                            letters.get(2).get("eventId").asText());
            assertThat(api.get("/webhook/fleet/deadletters?limit=-1").statusCode()).isEqualTo(400);
            assertThat(api.get("/webhook/fleet/deadletters?offset=-5").statusCode()).isEqualTo(400);
            assertThat(api.get("/webhook/fleet/deadletters?limit=1001").statusCode())
                    .isEqualTo(400);
            assertThat(api.get("/webhook/fleet/deadletters?limit=x").statusCode()).isEqualTo(400);
            assertThat(api.get("/webhook/nobody/deadletters").body()).isEqualTo("[]");
            assertThat(api.send("DELETE", "/webhook/fleet/deadletters", null, null).statusCode())
                    .isEqualTo(405);

            // Still down: one POST fails, and the re-send stops there.
            JsonNode stillDown =
                    JSON.readTree(api.post("/webhook/fleet/deadletters/resend", "").body());
            assertThat(stillDown.get("resent").asInt()).isZero();
            assertThat(stillDown.get("failed").asInt()).isEqualTo(1);
            assertThat(stillDown.get("remaining").asInt()).isEqualTo(EVENTS);

            try (TestReceiver back = TestReceiver.answeringOn(port, 200)) {
                HttpResponse<String> resent =
                        api.post("/webhook/fleet/deadletters/resend?limit=5", "");
                assertThat(resent.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(resent.body()))
                        .isEqualTo(JSON.readTree("{\"resent\":5,\"failed\":0,\"remaining\":7}"));
                assertThat(
                                JSON.readTree(
                                                api.post("/webhook/fleet/deadletters/resend", "")
                                                        .body())
                                        .get("remaining")
                                        .asInt())
                        .isZero();

                assertThat(back.received())
                        .hasSize(EVENTS)
                        .allSatisfy(
                                r -> {
                                    WebhookDelivery sent =
                                            deliveries.stream()
                                                    .filter(
                                                            d ->
                                                                    d.eventId()
                                                                            .equals(
                                                                                    r
                                                                                            .idempotencyKey()))
                                                    .findFirst()
                                                    .orElseThrow();
                                    assertThat(r.body())
                                            .as("the sink's body, byte for byte")
                                            .isEqualTo(sent.payload());
                                    assertThat(r.contentType()).isEqualTo("application/json");
                                });
                assertThat(api.get("/webhook/fleet/deadletters").body()).isEqualTo("[]");
            }
        }
    }

    private static QueryServiceConfig config(TestDatabase db) {
        Map<String, String> settings =
                Map.of(
                        "port", "0",
                        "jdbc.url", db.url(),
                        "jdbc.user", db.user(),
                        "kafka.bootstrap", KAFKA.bootstrapServers(),
                        "webhook.resend-timeout-ms", "2000");
        return QueryServiceConfig.fromArgs(
                settings.entrySet().stream()
                        .flatMap(e -> java.util.stream.Stream.of("--" + e.getKey(), e.getValue()))
                        .toArray(String[]::new),
                Map.of());
    }
}
