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

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole system over HTTP: the query service and the twin job (MiniCluster, RocksDB,
 * checkpoints) on a real Kafka broker and PostgreSQL, driven by the original DT Lab's example flows
 * (machinery with operators, building hierarchy, NEO ingest), exactly as its clients send them.
 */
class ApiEndToEndITCase {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Duration VISIBLE = Duration.ofSeconds(60);

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir static Path checkpoints;

    private static RunningSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = RunningSystem.start(KAFKA.bootstrapServers(), checkpoints);
    }

    @AfterAll
    static void stop() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    /**
     * dtlab-scala-alligator examples/machinery.rest, and a webhook that receives the assessments.
     */
    @Test
    void machineryWithOperatorsAndAWebhook() throws Exception {
        try (TestReceiver receiver = TestReceiver.answering(202)) {
            URI hook = URI.create(receiver.url("/fleet"));
            assertThat(
                            post(
                                            "/webhook/fleetmgr",
                                            "{\"target\":{\"host\":\"127.0.0.1\",\"port\":"
                                                    + hook.getPort()
                                                    + ",\"path\":\"/fleet\",\"tls\":false},\"dtType\":\"machinery\",\"eventType\":\"StateChange\"}")
                                    .statusCode())
                    .isEqualTo(201);
            assertThat(
                            post(
                                            "/type/machinery",
                                            "{\"props\":[\"height\",\"height_readings_count\",\"height_readings_max\","
                                                + "\"height_readings_min\",\"days_online\",\"hours_online\",\"minutes_online\",\"height_first_seen\"]}")
                                    .statusCode())
                    .isEqualTo(201);
            for (String op :
                    List.of(
                            "{\"name\":\"count_height_readings\",\"implementation\":\"count\",\"params\":[10.1,20.2],\"input\":[0],\"output\":[1]}",
                            "{\"name\":\"max_height\",\"implementation\":\"max\",\"input\":[0],\"output\":[2]}",
                            "{\"name\":\"min_height\",\"implementation\":\"Min\",\"input\":[0],\"output\":[3]}",
                            "{\"name\":\"days_online\",\"implementation\":\"days_active\",\"input\":[0],\"output\":[4,7]}",
                            "{\"name\":\"hours_online\",\"implementation\":\"hours_active\",\"input\":[0],\"output\":[5,7]}",
                            "{\"name\":\"minutes_online\",\"implementation\":\"minutes_active\",\"input\":[0],\"output\":[6,7]}")) {
                assertThat(post("/actor/machinery/three/operator", op).statusCode()).isEqualTo(200);
            }
            for (String height : List.of("5", "9", "3")) {
                assertThat(
                                post(
                                                "/actor/machinery/three",
                                                "{\"idx\":0,\"value\":" + height + "}")
                                        .statusCode())
                        .isEqualTo(202);
            }

            await().atMost(VISIBLE)
                    .untilAsserted(
                            () ->
                                    assertThat(values(get("/actor/machinery/three").body()))
                                            .containsExactly(
                                                    3.0, 3.0, 9.0, 3.0, 0.0, 0.0, 0.0, 1.0));
            assertThat(JSON.readTree(get("/actor/machinery/three/operator").body())).hasSize(6);
            assertThat(
                            JSON.readTree(get("/actor/machinery/three?limit=2").body())
                                    .findValues("value"))
                    .extracting(JsonNode::asDouble)
                    .containsExactly(3.0, 9.0);
            assertThat(get("/actor/machinery/three?format=named").body())
                    .contains("\"name\":\"height_readings_max\",\"value\":9.0");
            await().atMost(VISIBLE).untilAsserted(() -> assertThat(receiver.received()).hasSize(3));
            JsonNode last = JSON.readTree(receiver.received().get(2).body());
            assertThat(last.get("eventType").asText()).isEqualTo("StateChange");
            assertThat(last.get("source").asText()).isEqualTo("/machinery/three");
            assertThat(last.get("event")).hasSize(8);
        }
    }

    /**
     * dtlab-scala-alligator examples/building.rest: child listings, including never-posted levels.
     */
    @Test
    void buildingHierarchy() throws Exception {
        post("/type/building", "{\"children\":[\"floor\"]}");
        post("/type/floor", "{\"props\":[\"temp\"],\"children\":[\"room\"]}");
        post("/type/room", "{\"props\":[\"temp\",\"occupied\"]}");
        assertThat(
                        post("/actor/building/one/floor/f1/room/r1", "{\"idx\":1,\"value\":1}")
                                .statusCode())
                .isEqualTo(202);
        assertThat(post("/actor/building/one/floor/f2", "{\"idx\":0,\"value\":20.5}").statusCode())
                .isEqualTo(202);
        assertThat(post("/actor/building/one/floor/f1/lift/l1", "{\"idx\":0,\"value\":1}").body())
                .isEqualTo("floor type does not have children of type lift");

        await().atMost(VISIBLE)
                .untilAsserted(
                        () -> {
                            assertThat(JSON.readValue(get("/actor/building").body(), List.class))
                                    .containsExactly("one");
                            assertThat(
                                            JSON.readValue(
                                                    get("/actor/building/one/floor/").body(),
                                                    List.class))
                                    .containsExactlyInAnyOrder("f1", "f2");
                            assertThat(
                                            JSON.readValue(
                                                    get("/actor/building/one/floor/f1/room").body(),
                                                    List.class))
                                    .containsExactly("r1");
                        });
        assertThat(get("/actor/building/one").body()).isEqualTo("[]");
        assertThat(get("/actor/building/one/floor/f1/room/r1?format=object").body())
                .contains(
                        "\"dtType\":\"room\"",
                        "\"instanceId\":\"r1\"",
                        "\"state\":{\"occupied\":1.0}");
    }

    /**
     * dtlab-ingest-scala-alligator: the NEO feed through the array route, 24 objects, 120
     * telemetry.
     */
    @Test
    void neoIngest() throws Exception {
        post(
                "/type/object",
                "{\"props\":[\"absolute_magnitude\",\"diameter_min\",\"diameter_max\",\"miles_per_hour\",\"distance_in_miles\"]}");
        post("/type/orbiting_body", "{\"children\":[\"object\"]}");
        assertThat(
                        post(
                                        "/extractor/object/neo1",
                                        "{\"path\":\"$.near_earth_objects.*[*]\",\"telSpecId\":\"neo1\"}")
                                .statusCode())
                .isEqualTo(201);
        assertThat(
                        post(
                                        "/extractor/telemetry/neo1",
                                        Files.readString(
                                                Path.of("../examples/neo1-telemetry-spec.json")))
                                .statusCode())
                .isEqualTo(201);

        HttpResponse<String> ingested =
                post(
                        "/ingest/array/neo1",
                        Files.readString(Path.of("../examples/near_earth_objects.json")));
        assertThat(ingested.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(ingested.body())).hasSize(120);

        await().atMost(VISIBLE)
                .untilAsserted(
                        () ->
                                assertThat(
                                                JSON.readValue(
                                                        get("/actor/orbiting_body/earth/object")
                                                                .body(),
                                                        List.class))
                                        .hasSize(24));
        // Compared as JSON values: Java 17 may print a double with one more digit than the source
        // text; it is the same double.
        await().atMost(VISIBLE)
                .untilAsserted(
                        () ->
                                assertThat(
                                                JSON.readTree(
                                                        get("/actor/orbiting_body/earth/object/3726710?format=object")
                                                                .body()))
                                        .isEqualTo(
                                                JSON.readTree(
                                                        "{\"dtType\":\"object\",\"instanceId\":\"3726710\",\"datetime\":\"2015-09-08T09:45:00.000Z\","
                                                            + "\"state\":{\"absolute_magnitude\":24.3,\"diameter_min\":36.6906137531,\"diameter_max\":82.0427064882,"
                                                            + "\"miles_per_hour\":43586.0625520053,\"distance_in_miles\":2502653.4316094954}}")));
        long telemetry = 0;
        for (Object id :
                JSON.readValue(get("/actor/orbiting_body/earth/object").body(), List.class)) {
            telemetry +=
                    JSON.readTree(
                                    get("/actor/orbiting_body/earth/object/" + id + "?limit=100")
                                            .body())
                            .size();
        }
        assertThat(telemetry).isEqualTo(120);
    }

    private static List<Double> values(String body) throws IOException {
        List<Double> values = new ArrayList<>();
        List<JsonNode> entries = new ArrayList<>();
        JSON.readTree(body).forEach(entries::add);
        entries.sort((a, b) -> Integer.compare(a.get("idx").asInt(), b.get("idx").asInt()));
        entries.forEach(e -> values.add(e.get("value").asDouble()));
        return values;
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return system.get(path);
    }

    private static HttpResponse<String> post(String path, String json) throws Exception {
        return system.post(path, json);
    }
}
