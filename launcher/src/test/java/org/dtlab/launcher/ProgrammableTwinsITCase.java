package org.dtlab.launcher;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TestReceiver;
import org.dtlab.launcher.testutils.RunningSystem;
import org.dtlab.model.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The twins the product description promises, programmed with JSON alone over the HTTP API (the
 * same bodies as {@code examples/door.sh}, {@code motion.sh}, {@code asteroid.sh}, {@code
 * truck.sh}, {@code building.sh}), on a real Kafka broker, PostgreSQL and a MiniCluster: states,
 * alarm events, the {@code /alarm} routes and webhook deliveries. Event time follows the clock
 * after 2 s of silence, as {@code dtlab local} does after 10 s, so a door opened 15 minutes ago
 * raises its alarm although nothing else is sent.
 */
class ProgrammableTwinsITCase {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Duration VISIBLE = Duration.ofSeconds(90);

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir static Path checkpoints;

    private static RunningSystem system;
    private static TestReceiver receiver;

    @BeforeAll
    static void start() throws Exception {
        system =
                RunningSystem.start(
                        KAFKA.bootstrapServers(),
                        checkpoints,
                        "--event-time.idle-advance-ms",
                        "2000");
        receiver = TestReceiver.answering(202);
        URI hook = URI.create(receiver.url("/alarms"));
        for (String type : List.of("AlarmRaised", "AlarmCleared")) {
            assertThat(
                            post(
                                            "/webhook/" + type,
                                            "{\"target\":{\"host\":\"127.0.0.1\",\"port\":"
                                                    + hook.getPort()
                                                    + ",\"path\":\"/alarms\"},\"eventType\":\""
                                                    + type
                                                    + "\"}")
                                    .statusCode())
                    .isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (system != null) {
            system.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void aDoorOpenTooLongRaisesItsAlarmWithoutAnotherTelemetryAndClearsWhenClosed()
            throws Exception {
        assertThat(
                        post(
                                        "/type/door",
                                        "{\"props\":[\"open\",\"open_too_long\"],\"operators\":[{\"name\":\"door_open_too_long\",\"implementation\":\"alarm\",\"input\":[0],\"output\":[1],\"when\":\"open"
                                            + " == 1\",\"for\":\"PT10M\",\"severity\":\"major\"}]}")
                                .statusCode())
                .isEqualTo(201);
        Instant opened = Instant.now().minus(Duration.ofMinutes(15));

        assertThat(
                        post(
                                        "/actor/door/front",
                                        "{\"idx\":0,\"value\":1,\"datetime\":\"" + opened + "\"}")
                                .statusCode())
                .isEqualTo(202);

        await().atMost(VISIBLE)
                .untilAsserted(
                        () ->
                                assertThat(JSON.readTree(get("/alarm/door/front").body()))
                                        .singleElement()
                                        .satisfies(
                                                a -> {
                                                    assertThat(a.get("name").asText())
                                                            .isEqualTo("door_open_too_long");
                                                    assertThat(a.get("severity").asText())
                                                            .isEqualTo("major");
                                                    assertThat(
                                                                    Instant.parse(
                                                                            a.get("since")
                                                                                    .asText()))
                                                            .isEqualTo(
                                                                    opened.plus(
                                                                                    Duration
                                                                                            .ofMinutes(
                                                                                                    10))
                                                                            .truncatedTo(
                                                                                    java.time
                                                                                            .temporal
                                                                                            .ChronoUnit
                                                                                            .MILLIS));
                                                }));
        assertThat(get("/actor/door/front?format=named").body())
                .contains("\"name\":\"open_too_long\",\"value\":1.0");
        assertThat(JSON.readTree(get("/alarm/door").body()).get(0).get("path").asText())
                .isEqualTo("door/front");
        await().atMost(VISIBLE).until(() -> delivered("AlarmRaised", "/door/front").size() == 1);
        JsonNode payload = delivered("AlarmRaised", "/door/front").get(0);
        assertThat(payload.get("event").get("name").asText()).isEqualTo("door_open_too_long");
        assertThat(payload.get("event").get("values").get(0).get("value").asDouble())
                .isEqualTo(1.0);

        assertThat(post("/actor/door/front", "{\"idx\":0,\"value\":0}").statusCode())
                .isEqualTo(202);
        await().atMost(VISIBLE)
                .untilAsserted(() -> assertThat(get("/alarm/door/front").body()).isEqualTo("[]"));
        await().atMost(VISIBLE).until(() -> delivered("AlarmCleared", "/door/front").size() == 1);
    }

    @Test
    void aSilentMotionSensorGoesStaleAndDetectionsAreCountedPerWindow() throws Exception {
        assertThat(
                        post(
                                        "/type/motion",
                                        "{\"props\":[\"motion\",\"motion_alert\",\"detections_per_window\",\"sensor_silent\"],"
                                            + "\"operators\":[{\"name\":\"motion_alert\",\"implementation\":\"alarm\",\"input\":[0],\"output\":[1],\"when\":\"motion"
                                            + " == 1\",\"severity\":\"warning\"},{\"name\":\"detections_per_window\",\"implementation\":\"window\",\"input\":[0],\"output\":[2],\"agg\":\"sum\",\"size\":\"PT1M\",\"when\":\"motion"
                                            + " == 1\"},"
                                            + "{\"name\":\"sensor_silent\",\"implementation\":\"stale\",\"input\":[0],\"output\":[3],\"for\":\"PT10S\"}]}")
                                .statusCode())
                .isEqualTo(201);
        // The readings are on time — ahead of event time, which trails the newest observation by
        // 5 s and the clock after 2 s of silence — so the window and the staleness close when event
        // time passes them, as in a back-test. (Readings older than event time would be late: a
        // window that event time has already closed does not count them.) All four in one minute.
        Instant first =
                Instant.now().plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Instant window = first.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        if (!first.plusSeconds(3)
                .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                .equals(window)) {
            window = window.plus(Duration.ofMinutes(1));
            first = window;
        }
        Instant start = first;

        for (int s : new int[] {0, 1, 2}) {
            assertThat(
                            post("/actor/motion/hall", telemetry(0, 1, start.plusSeconds(s)))
                                    .statusCode())
                    .isEqualTo(202);
        }
        assertThat(post("/actor/motion/hall", telemetry(0, 0, start.plusSeconds(3))).statusCode())
                .isEqualTo(202);

        // The window closes at its end (up to a minute away) once event time passes it.
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(
                        () ->
                                assertThat(named(get("/actor/motion/hall?format=named").body()))
                                        .containsEntry("motion", 0.0)
                                        .containsEntry("motion_alert", 0.0)
                                        .containsEntry("detections_per_window", 3.0)
                                        .containsEntry("sensor_silent", 1.0));
        assertThat(JSON.readTree(get("/alarm/motion/hall").body()).get(0).get("name").asText())
                .isEqualTo("sensor_silent");
        await().atMost(VISIBLE).until(() -> delivered("AlarmRaised", "/motion/hall").size() == 2);
    }

    @Test
    void approachingAsteroidsAreFlaggedOnTheNeoIngest() throws Exception {
        assertThat(
                        post(
                                        "/type/object",
                                        "{\"props\":[\"absolute_magnitude\",\"diameter_min\",\"diameter_max\",\"miles_per_hour\","
                                            + "\"distance_in_miles\",\"lunar_distances\",\"dangerous\"],\"operators\":[{\"name\":\"lunar_distances\",\"implementation\":\"expr\",\"input\":[4],\"output\":[5],\"expr\":\"distance_in_miles"
                                            + " / 238900\"},"
                                            + "{\"name\":\"dangerous\",\"implementation\":\"alarm\",\"input\":[3,4],\"output\":[6],\"when\":\"distance_in_miles"
                                            + " < 20000000 && miles_per_hour >"
                                            + " 30000\",\"severity\":\"critical\"}]}")
                                .statusCode())
                .isEqualTo(201);
        post("/type/orbiting_body", "{\"children\":[\"object\"]}");
        post(
                "/extractor/object/neo1",
                "{\"path\":\"$.near_earth_objects.*[*]\",\"telSpecId\":\"neo1\"}");
        post(
                "/extractor/telemetry/neo1",
                Files.readString(Path.of("../examples/neo1-telemetry-spec.json")));

        assertThat(
                        post(
                                        "/ingest/array/neo1",
                                        Files.readString(
                                                Path.of("../examples/near_earth_objects.json")))
                                .statusCode())
                .isEqualTo(202);

        await().atMost(VISIBLE)
                .untilAsserted(
                        () -> {
                            List<String> flagged = new ArrayList<>();
                            JSON.readTree(get("/alarm/object").body())
                                    .forEach(t -> flagged.add(t.get("path").asText()));
                            assertThat(flagged)
                                    .containsExactlyInAnyOrder(
                                            "orbiting_body/earth/object/3726710",
                                            "orbiting_body/earth/object/3727181",
                                            "orbiting_body/earth/object/3759690",
                                            "orbiting_body/earth/object/3758838");
                        });
        assertThat(
                        named(get("/actor/orbiting_body/earth/object/3726710?format=named").body())
                                .get("lunar_distances"))
                .isCloseTo(
                        2502653.4316094954 / 238900, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void aTrucksServiceIsDueWithin500KmAndClearsAfterTheService() throws Exception {
        assertThat(
                        post(
                                        "/type/truck",
                                        "{\"props\":[\"odometer\",\"km_to_service\",\"km_driven\",\"maintenance_due\"],"
                                            + "\"operators\":[{\"name\":\"km_to_service\",\"implementation\":\"expr\",\"input\":[0],\"output\":[1],\"expr\":\"15000"
                                            + " - (odometer - 15000 * floor(odometer /"
                                            + " 15000))\"},{\"name\":\"km_driven\","
                                            + "\"implementation\":\"counter\",\"input\":[0],\"output\":[2]},{\"name\":\"maintenance_due\",\"implementation\":\"alarm\",\"input\":[0],\"output\":[3],\"when\":\"km_to_service"
                                            + " < 500\",\"clear\":\"km_to_service >"
                                            + " 14000\",\"severity\":\"major\"}]}")
                                .statusCode())
                .isEqualTo(201);

        for (int km : new int[] {14000, 14300, 14650, 14990}) {
            assertThat(
                            post(
                                            "/actor/truck/t1?format=named",
                                            "{\"name\":\"odometer\",\"value\":" + km + "}")
                                    .statusCode())
                    .isEqualTo(202);
        }
        await().atMost(VISIBLE)
                .untilAsserted(
                        () ->
                                assertThat(named(get("/actor/truck/t1?format=named").body()))
                                        .containsEntry("km_to_service", 10.0)
                                        .containsEntry("maintenance_due", 1.0)
                                        .containsEntry("km_driven", 990.0));
        assertThat(
                        post(
                                        "/actor/truck/t1?format=named",
                                        "{\"name\":\"odometer\",\"value\":15200}")
                                .statusCode())
                .isEqualTo(202);

        await().atMost(VISIBLE)
                .untilAsserted(
                        () ->
                                assertThat(named(get("/actor/truck/t1?format=named").body()))
                                        .containsEntry("km_to_service", 14800.0)
                                        .containsEntry("maintenance_due", 0.0));
        await().atMost(VISIBLE)
                .until(
                        () ->
                                delivered("AlarmRaised", "/truck/t1").size() == 1
                                        && delivered("AlarmCleared", "/truck/t1").size() == 1);
    }

    @Test
    void badDefinitionsAre400sNamingTheFieldAndThePosition() throws Exception {
        HttpResponse<String> typo =
                post(
                        "/type/bad",
                        "{\"props\":[\"temp\",\"f\"],\"operators\":[{\"name\":\"f\",\"implementation\":\"expr\",\"input\":[0],\"output\":[1],\"expr\":\"tmp"
                            + " * 1.8 + 32\"}]}");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(typo.body()).contains("operator f: 'expr'", "'tmp'", "1:1");
        HttpResponse<String> notBoolean =
                post(
                        "/type/bad",
                        "{\"props\":[\"temp\",\"hot\"],\"operators\":[{\"name\":\"hot\",\"implementation\":\"alarm\",\"input\":[0],\"output\":[1],\"when\":\"temp"
                            + " + 1\"}]}");
        assertThat(notBoolean.statusCode()).isEqualTo(400);
        assertThat(notBoolean.body()).contains("operator hot: 'when'");
        assertThat(get("/type/bad").statusCode()).as("nothing was stored").isEqualTo(404);

        post("/type/pump", "{\"props\":[\"pressure\",\"low\"]}");
        HttpResponse<String> duration =
                post(
                        "/actor/pump/p1/operator",
                        "{\"name\":\"low\",\"implementation\":\"alarm\",\"input\":[0],\"output\":[1],\"when\":\"pressure"
                            + " < 2\",\"for\":\"10 minutes\"}");
        assertThat(duration.statusCode()).isEqualTo(400);
        assertThat(duration.body()).contains("operator low: 'for'", "ISO-8601");
    }

    private static List<JsonNode> delivered(String eventType, String source) throws Exception {
        List<JsonNode> matching = new ArrayList<>();
        for (TestReceiver.Received r : receiver.received()) {
            JsonNode body = JSON.readTree(r.body());
            if (body.get("eventType").asText().equals(eventType)
                    && body.get("source").asText().equals(source)) {
                matching.add(body);
            }
        }
        return matching.stream().distinct().toList();
    }

    private static Map<String, Double> named(String body) throws Exception {
        Map<String, Double> values = new java.util.HashMap<>();
        JSON.readTree(body)
                .forEach(p -> values.put(p.get("name").asText(), p.get("value").asDouble()));
        return values;
    }

    @Test
    void aBuildingRollsUpItsFloorsAndRoomsAndRaisesAnAlarmOnItsAverage() throws Exception {
        // The bodies of examples/building.sh.
        assertThat(post("/type/room", "{\"props\":[\"temp\",\"occupied\"]}").statusCode())
                .isEqualTo(201);
        assertThat(
                        post(
                                        "/type/floor",
                                        "{\"props\":[\"avg_temp\",\"rooms_hot\"],\"children\":[\"room\"],\"rollups\":["
                                            + "{\"name\":\"avg_temp\",\"child\":\"room\",\"property\":\"temp\",\"agg\":\"avg\",\"output\":[0]},"
                                            + "{\"name\":\"rooms_hot\",\"child\":\"room\",\"property\":\"temp\",\"agg\":\"count_where\",\"where\":\"temp"
                                            + " > 26.0 && occupied == 1\",\"output\":[1]}]}")
                                .statusCode())
                .isEqualTo(201);
        assertThat(
                        post(
                                        "/type/building",
                                        "{\"props\":[\"avg_temp\",\"rooms_hot\",\"too_warm\"],\"children\":[\"floor\"],"
                                            + "\"rollups\":[{\"name\":\"avg_temp\",\"child\":\"floor\",\"property\":\"avg_temp\",\"agg\":\"avg\",\"output\":[0]},"
                                            + "{\"name\":\"rooms_hot\",\"child\":\"floor\",\"property\":\"rooms_hot\",\"agg\":\"sum\",\"output\":[1]}],"
                                            + "\"operators\":[{\"name\":\"too_warm\",\"implementation\":\"alarm\",\"input\":[0],\"output\":[2],\"when\":\"avg_temp"
                                            + " > 25.0\",\"clear\":\"avg_temp <"
                                            + " 24.0\",\"severity\":\"major\"}]}")
                                .statusCode())
                .isEqualTo(201);
        assertThat(
                        post(
                                        "/type/block",
                                        "{\"props\":[\"x\"],\"children\":[\"room\"],\"rollups\":[{\"name\":\"x\","
                                            + "\"child\":\"desk\",\"property\":\"temp\",\"agg\":\"avg\",\"output\":[0]}]}")
                                .body())
                .contains("roll-up x: 'child' must be one of the type's children [room], not desk");

        Instant t =
                Instant.now()
                        .minus(Duration.ofMinutes(3))
                        .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String f1 = "/actor/building/one/floor/f1/room/";
        assertThat(post(f1 + "r1", telemetry(0, 21.5, t)).statusCode()).isEqualTo(202);
        assertThat(post(f1 + "r1", telemetry(1, 1, t)).statusCode()).isEqualTo(202);
        assertThat(post(f1 + "r2", telemetry(0, 27.5, t.plusSeconds(60))).statusCode())
                .isEqualTo(202);
        assertThat(
                        post(
                                        "/actor/building/one/floor/f2/room/r3",
                                        telemetry(0, 28.0, t.plusSeconds(120)))
                                .statusCode())
                .isEqualTo(202);
        assertThat(
                        post(
                                        "/actor/building/one/floor/f2/room/r3",
                                        telemetry(1, 1, t.plusSeconds(121)))
                                .statusCode())
                .isEqualTo(202);

        await().atMost(VISIBLE)
                .untilAsserted(
                        () ->
                                assertThat(get("/actor/building/one?format=named").body())
                                        .contains("\"name\":\"avg_temp\",\"value\":26.25")
                                        .contains("\"name\":\"rooms_hot\",\"value\":1.0"));
        assertThat(get("/actor/building/one/floor/f1?format=named").body())
                .contains("\"name\":\"avg_temp\",\"value\":24.5")
                .contains("\"name\":\"rooms_hot\",\"value\":0.0");
        await().atMost(VISIBLE)
                .untilAsserted(
                        () ->
                                assertThat(JSON.readTree(get("/alarm/building/one").body()))
                                        .singleElement()
                                        .satisfies(
                                                a -> {
                                                    assertThat(a.get("name").asText())
                                                            .isEqualTo("too_warm");
                                                    // Stamped with a child's time: r3's, or r2's
                                                    // when event time (which follows the
                                                    // clock here after 2 s without input) passed
                                                    // r2's report before it arrived on a
                                                    // loaded machine, so it was applied late
                                                    // (docs/operators.md, Roll-ups: Order).
                                                    assertThat(
                                                                    Instant.parse(
                                                                            a.get("since")
                                                                                    .asText()))
                                                            .as("stamped with the child's time")
                                                            .isIn(
                                                                    t.plusSeconds(120),
                                                                    t.plusSeconds(60));
                                                }));
        assertThat(get("/actor/building/one/floor").body()).contains("f1").contains("f2");
    }

    private static String telemetry(int idx, double value, Instant at) {
        return "{\"idx\":" + idx + ",\"value\":" + value + ",\"datetime\":\"" + at + "\"}";
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return system.get(path);
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return system.post(path, json);
    }
}
