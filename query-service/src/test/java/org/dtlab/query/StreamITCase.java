package org.dtlab.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.model.json.Json;
import org.dtlab.query.config.QueryServiceConfig;
import org.dtlab.query.testutils.ApiClient;
import org.dtlab.query.testutils.SseClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Server-Sent Event streams over real HTTP from a real (H2) journal database: the events are
 * written to {@code dtlab_events} as the job writes them, each with the number the database would
 * give it (set here, so that a test can leave a hole the way an uncommitted batch does).
 */
class StreamITCase {

    private static final String PREFIX = "/dtlab-alligator";
    private static final ObjectMapper JSON = Json.mapper();
    private static final int RETENTION = 50;
    private static final int MAX_PENDING =
            1500; // above a poll's batch (1000): a burst a reader can take

    /**
     * Events of ~10 KB for the slow-client test: 25 MB, far more than a stalled socket buffers (4
     * MB) plus MAX_PENDING.
     */
    private static final int EVENTS = 2500;

    private static final AtomicLong NUMBERS = new AtomicLong();

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    private static TestDatabase db;
    private static QueryService service;
    private static ApiClient api;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.h2();
        service = QueryService.start(config(Map.of()));
        base = "http://127.0.0.1:" + service.port() + PREFIX;
        api = new ApiClient(base, null);
        assertThat(api.post("/type/machine", "{\"props\":[\"speed\",\"load\"]}").statusCode())
                .isEqualTo(201);
        assertThat(
                        api.post(
                                        "/type/plant",
                                        "{\"props\":[\"output\"],\"children\":[\"machine\"]}")
                                .statusCode())
                .isEqualTo(201);
        assertThat(
                        api.post("/type/silo", "{\"props\":[\"level\"],\"children\":[\"stream\"]}")
                                .statusCode())
                .isEqualTo(201);
        assertThat(api.post("/type/stream", "{\"props\":[\"flow\"]}").statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    void aTwinsStreamSendsItsEventsInOrderWithIds() throws Exception {
        try (SseClient twin = SseClient.open(base + "/actor/machine/a1/stream", null, null);
                SseClient other =
                        SseClient.open(base + "/actor/plant/p1/machine/a1/stream", null, null)) {
            assertThat(twin.status()).isEqualTo(200);
            assertThat(twin.contentType()).startsWith("text/event-stream");
            long created = event("machine/a1", "machine", 1, "Creation", "[]");
            long changed =
                    event(
                            "machine/a1",
                            "machine",
                            1,
                            "StateChange",
                            "[{\"idx\":0,\"value\":7.5,\"datetime\":\"2026-01-01T10:00:00.000Z\"}]");
            event("machine/a2", "machine", 1, "StateChange", "[]");

            await().atMost(Duration.ofSeconds(10)).until(() -> twin.events().size() >= 2);
            assertThat(twin.ids())
                    .containsExactly(String.valueOf(created), String.valueOf(changed));
            SseClient.Event change = twin.events().get(1);
            assertThat(change.event()).isEqualTo("StateChange");
            JsonNode body = JSON.readTree(change.data());
            assertThat(body.get("id").asText()).isEqualTo("machine/a1#1#StateChange");
            assertThat(body.get("source").asText()).isEqualTo("/machine/a1");
            assertThat(body.get("event").get(0).get("value").asDouble()).isEqualTo(7.5);
            assertThat(JSON.readTree(twin.events().get(0).data()).get("event").asText())
                    .isEqualTo("Creation");
            assertThat(other.events()).as("another twin's path").isEmpty();
        }
    }

    @Test
    void theFirehoseIsFilteredByTypePrefixAndEventType() throws Exception {
        try (SseClient all = SseClient.open(base + "/stream?prefix=plant/p2", null, null);
                SseClient machines =
                        SseClient.open(
                                base + "/stream?type=machine&prefix=/plant/p2/", null, null);
                SseClient alarms =
                        SseClient.open(
                                base + "/stream?event=AlarmRaised,AlarmCleared&prefix=plant/p2",
                                null,
                                null);
                SseClient nothing =
                        SseClient.open(base + "/stream?type=nothing_of_this_type", null, null)) {
            long plant = event("plant/p2", "plant", 1, "StateChange", "[]");
            long machine = event("plant/p2/machine/m1", "machine", 1, "StateChange", "[]");
            event("plant/p20/machine/m1", "machine", 1, "StateChange", "[]");
            long raised = alarm("plant/p2/machine/m1", "machine", 2, "AlarmRaised");

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> all.events().size() >= 3 && alarms.events().size() >= 1);
            assertThat(all.ids())
                    .containsExactly(
                            String.valueOf(plant), String.valueOf(machine), String.valueOf(raised));
            assertThat(machines.ids())
                    .containsExactly(String.valueOf(machine), String.valueOf(raised));
            assertThat(alarms.ids()).containsExactly(String.valueOf(raised));
            assertThat(
                            JSON.readTree(alarms.events().get(0).data())
                                    .get("event")
                                    .get("name")
                                    .asText())
                    .isEqualTo("too_fast");
            assertThat(nothing.status())
                    .as("a filter that matches nothing streams nothing")
                    .isEqualTo(200);
            assertThat(nothing.events()).isEmpty();
            assertThat(nothing.ended()).isFalse();
        }
    }

    @Test
    void lastEventIdResumesWithoutLossOrDuplicates() throws Exception {
        List<String> first;
        try (SseClient stream = SseClient.open(base + "/actor/machine/r1/stream", null, null)) {
            for (int seq = 1; seq <= 3; seq++) {
                event("machine/r1", "machine", seq, "StateChange", "[]");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().size() == 3);
            first = stream.ids();
        }
        long fourth = event("machine/r1", "machine", 4, "StateChange", "[]");
        long fifth = event("machine/r1", "machine", 5, "StateChange", "[]");
        event("machine/r2", "machine", 1, "StateChange", "[]");

        try (SseClient resumed =
                SseClient.open(base + "/actor/machine/r1/stream", null, first.get(2))) {
            long sixth = event("machine/r1", "machine", 6, "StateChange", "[]");
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.events().size() >= 3);
            assertThat(resumed.ids())
                    .containsExactly(
                            String.valueOf(fourth), String.valueOf(fifth), String.valueOf(sixth));
        }
    }

    @Test
    void aResumeBeyondTheRetentionStartsWithAReset() throws Exception {
        long old = event("machine/x1", "machine", 1, "StateChange", "[]");
        try (SseClient watcher = SseClient.open(base + "/actor/machine/x1/stream", null, null)) {
            long last = 0;
            for (int seq = 2; seq <= RETENTION + 5; seq++) {
                last = event("machine/x1", "machine", seq, "StateChange", "[]");
            }
            long newest = last;
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> watcher.ids().contains(String.valueOf(newest)));
        }
        try (SseClient resumed =
                SseClient.open(base + "/actor/machine/x1/stream", null, String.valueOf(old))) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> resumed.events().size() >= RETENTION - 10);
            SseClient.Event reset = resumed.events().get(0);
            assertThat(reset.event()).isEqualTo("Reset");
            assertThat(reset.data())
                    .contains("\"lastEventId\":\"" + old + "\"", "no longer retained");
            assertThat(Long.parseLong(resumed.events().get(1).id()))
                    .isEqualTo(Long.parseLong(reset.id()) + 1);
        }
    }

    @Test
    void aMissingNumberHoldsLaterEventsBackUntilItCommitsOrIsGivenUp() throws Exception {
        try (SseClient stream = SseClient.open(base + "/actor/machine/g1/stream", null, null)) {
            long hole = NUMBERS.incrementAndGet();
            long after = event("machine/g1", "machine", 2, "StateChange", "[]");
            // The hole's row commits late, as a slower sink subtask's batch would: order is kept.
            insert(hole, "machine/g1", "machine", 1, "StateChange", "[]", null);
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().size() >= 2);
            assertThat(stream.ids()).containsExactly(String.valueOf(hole), String.valueOf(after));

            NUMBERS.incrementAndGet(); // a number that never commits (a rolled-back batch)
            long next = event("machine/g1", "machine", 3, "StateChange", "[]");
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.events().size() >= 3);
            assertThat(stream.ids().get(2)).isEqualTo(String.valueOf(next));
        }
    }

    @Test
    void aClientThatDoesNotReadIsDroppedAndHoldsNobodyUp() throws Exception {
        String bigState =
                "["
                        + String.join(
                                ",",
                                LongStream.range(0, 150)
                                        .mapToObj(
                                                i ->
                                                        "{\"idx\":0,\"value\":"
                                                                + i
                                                                + ",\"datetime\":\"2026-01-01T10:00:00.000Z\"}")
                                        .toList())
                        + "]";
        try (Socket stalled = new Socket();
                SseClient reader = SseClient.open(base + "/stream?prefix=machine/s1", null, null)) {
            stalled.setReceiveBufferSize(4096); // before connecting, so that the window stays small
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", service.port()));
            OutputStream out = stalled.getOutputStream();
            out.write(
                    ("GET " + PREFIX + "/stream?prefix=machine/s1 HTTP/1.1\r\nHost: x\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long last = 0;
            for (int seq = 1; seq <= EVENTS; seq++) {
                last = event("machine/s1", "machine", seq, "StateChange", bigState);
            }
            long newest = last;

            await().atMost(Duration.ofSeconds(30))
                    .failFast(() -> reader.ended())
                    .until(() -> reader.ids().contains(String.valueOf(newest)));
            assertThat(reader.events()).as("the reading client got everything").hasSize(EVENTS);
            // The stalled client was dropped: what it finally reads ends, well before all 300
            // events.
            stalled.setSoTimeout(10_000);
            InputStream in = stalled.getInputStream();
            long bytes = 0;
            byte[] buffer = new byte[65536];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes += n;
            }
            assertThat(bytes).isLessThan((long) EVENTS * bigState.length());
        }
    }

    @Test
    void badStreamRequestsAreRefusedBeforeTheyOpen() throws Exception {
        assertStatus(
                api.get("/stream?event=Sometimes"),
                400,
                "event must be one or more of Creation, StateChange, AlarmRaised, AlarmCleared");
        assertStatus(api.get("/actor/ghost/g1/stream"), 404, "type not defined");
        assertStatus(
                api.get("/actor/machine/a1/plant/p1/stream"),
                404,
                "machine type does not have children of type plant");
        assertStatus(
                api.send("POST", "/stream", "{}", "application/json"),
                405,
                "supported methods: GET");
        assertThat(api.get("/actor/silo/s1/stream").body())
                .as("silo declares children of type stream: a listing")
                .isEqualTo("[]");
    }

    @Test
    void aStreamBeyondTheLimitIsRefusedWith503() throws Exception {
        try (QueryService limited = QueryService.start(config(Map.of("stream.max-streams", "1")))) {
            String limitedBase = "http://127.0.0.1:" + limited.port() + PREFIX;
            try (SseClient first = SseClient.open(limitedBase + "/stream", null, null)) {
                assertThat(first.status()).isEqualTo(200);
                assertStatus(
                        new ApiClient(limitedBase, null).get("/stream"),
                        503,
                        "this service holds 1 streams already");
            }
        }
    }

    @Test
    void aQuietStreamOutlivesTheIdleAndReadTimeouts() throws Exception {
        try (QueryService strict =
                QueryService.start(
                        config(
                                Map.of(
                                        "http.idle-timeout-ms",
                                        "500",
                                        "http.read-timeout-ms",
                                        "500",
                                        "stream.keep-alive-ms",
                                        "200")))) {
            String strictBase = "http://127.0.0.1:" + strict.port() + PREFIX;
            try (SseClient quiet =
                            SseClient.open(
                                    strictBase + "/stream?type=nothing_of_this_type", null, null);
                    SseClient twin =
                            SseClient.open(strictBase + "/actor/machine/q1/stream", null, null)) {
                await().during(Duration.ofSeconds(2))
                        .atMost(Duration.ofSeconds(5))
                        .until(() -> !quiet.ended() && !twin.ended());
                long number = event("machine/q1", "machine", 1, "StateChange", "[]");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> twin.ids().contains(String.valueOf(number)));
            }
        }
    }

    @Test
    void streamsNeedTheBearerTokenWhenAuthIsOn() throws Exception {
        try (QueryService guarded = QueryService.start(config(Map.of("auth.tokens", "s3cret")))) {
            String guardedBase = "http://127.0.0.1:" + guarded.port() + PREFIX;
            assertThat(new ApiClient(guardedBase, null).get("/stream").statusCode()).isEqualTo(401);
            assertThat(
                            new ApiClient(guardedBase, "wrong")
                                    .get("/actor/machine/a1/stream")
                                    .statusCode())
                    .isEqualTo(401);
            try (SseClient allowed = SseClient.open(guardedBase + "/stream", "s3cret", null)) {
                assertThat(allowed.status()).isEqualTo(200);
            }
        }
    }

    // -- helpers

    private static QueryServiceConfig config(Map<String, String> extra) {
        Map<String, String> settings =
                new HashMap<>(
                        Map.of(
                                "port", "0",
                                "jdbc.url", db.url(),
                                "jdbc.user", db.user(),
                                "kafka.bootstrap", KAFKA.bootstrapServers(),
                                "stream.poll-interval-ms", "50",
                                "stream.retention", String.valueOf(RETENTION),
                                "stream.max-pending", String.valueOf(MAX_PENDING)));
        settings.putAll(extra);
        return QueryServiceConfig.fromArgs(
                settings.entrySet().stream()
                        .flatMap(e -> Stream.of("--" + e.getKey(), e.getValue()))
                        .toArray(String[]::new),
                Map.of());
    }

    /** Writes an event with the next number; returns the number. */
    private static long event(String path, String type, long seq, String eventType, String state)
            throws Exception {
        long number = NUMBERS.incrementAndGet();
        insert(number, path, type, seq, eventType, state, null);
        return number;
    }

    private static long alarm(String path, String type, long seq, String eventType)
            throws Exception {
        long number = NUMBERS.incrementAndGet();
        insert(
                number,
                path,
                type,
                seq,
                eventType,
                "[]",
                "{\"name\":\"too_fast\",\"severity\":\"major\",\"since\":\"2026-01-01T10:00:00.000Z\",\"values\":[]}");
        return number;
    }

    private static void insert(
            long number,
            String path,
            String type,
            long seq,
            String eventType,
            String state,
            String alarm)
            throws Exception {
        try (Connection c = db.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO dtlab_events (event_no, event_id, path, seq,"
                                    + " event_type, dt_type, created, state, alarm) VALUES (?, ?,"
                                    + " ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, number);
            ps.setString(
                    2, path + "#" + seq + "#" + eventType + (alarm == null ? "" : "#too_fast"));
            ps.setString(3, path);
            ps.setLong(4, seq);
            ps.setString(5, eventType);
            ps.setString(6, type);
            ps.setObject(
                    7,
                    OffsetDateTime.ofInstant(
                            Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC));
            ps.setString(8, state);
            ps.setString(9, alarm);
            ps.executeUpdate();
        }
    }

    private static void assertStatus(
            java.net.http.HttpResponse<String> response, int status, String text) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(text);
    }
}
