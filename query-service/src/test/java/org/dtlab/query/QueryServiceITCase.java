package org.dtlab.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.model.json.Json;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.query.api.Route;
import org.dtlab.query.api.Routes;
import org.dtlab.query.config.QueryServiceConfig;
import org.dtlab.query.testutils.ApiClient;
import org.dtlab.query.testutils.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route over real HTTP, against a real Kafka broker and a real (H2) journal database. The
 * twin job is not running here: where a read needs twin rows, the test writes them as the job
 * would.
 */
class QueryServiceITCase {

    private static final String PREFIX = "/dtlab-alligator";
    private static final ObjectMapper JSON = Json.mapper();
    private static final java.util.concurrent.atomic.AtomicLong ROWS =
            new java.util.concurrent.atomic.AtomicLong();

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    private static TestDatabase db;
    private static QueryService service;
    private static ApiClient api;
    private static ApiClient root;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.h2();
        service = QueryService.start(config(Map.of()));
        api = new ApiClient("http://127.0.0.1:" + service.port() + PREFIX, null);
        root = new ApiClient("http://127.0.0.1:" + service.port(), null);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    void typesAreCreateOnlyAndCanBeDeleted() throws Exception {
        HttpResponse<String> created =
                api.post(
                        "/type/machinery",
                        "{\"props\":[\"height\",\"count\"],\"children\":[\"engine\",\"engine\"],\"ignored\":1}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode type = JSON.readTree(created.body());
        assertThat(type.get("name").asText()).isEqualTo("machinery");
        assertThat(type.get("props")).hasSize(2);
        assertThat(type.get("children")).hasSize(1);
        assertThat(type.get("created").asText())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        assertThat(api.post("/type/machinery", "{\"props\":[]}").statusCode()).isEqualTo(409);
        assertThat(api.get("/type/machinery/").body()).isEqualTo(created.body());
        assertThat(JSON.readTree(api.get("/type").body()).findValuesAsText("name"))
                .contains("machinery");
        assertThat(api.get("/type/nothing").statusCode()).isEqualTo(404);
        assertThat(api.delete("/type/machinery").statusCode()).isEqualTo(202);
        assertThat(api.get("/type/machinery").statusCode()).isEqualTo(404);
        assertThat(api.delete("/type/machinery").statusCode()).isEqualTo(404);
    }

    @Test
    void badInputGetsAClearAnswerAndChangesNothing() {
        assertStatus(
                api.post("/type/t1", "{\"props\":[\"a\""),
                400,
                "The request content was malformed");
        assertStatus(api.post("/type/t1", "[1,2]"), 400, "a JSON object is required");
        assertStatus(
                api.send("POST", "/type/t1", "props=a", "application/x-www-form-urlencoded"),
                415,
                "application/json");
        assertStatus(api.post("/type/t%20x", "{}"), 400, "invalid type name 't x'");
        assertStatus(api.post("/type/operator", "{}"), 400, "reserved");
        assertStatus(
                api.post("/type/t1", "{\"props\":[\"" + "x".repeat(2_000_000) + "\"]}"),
                413,
                "exceeds the limit");
        assertStatus(
                api.send("PUT", "/type/t1", "{}", "application/json"), 405, "supported methods");
        assertStatus(api.get("/nowhere"), 404, "could not be found");
        assertStatus(root.get("/elsewhere"), 404, "could not be found");
        assertStatus(
                api.post(
                        "/webhook/w1",
                        "{\"target\":{\"host\":\"h\",\"port\":1},\"eventType\":\"Sometimes\"}"),
                400,
                "Sometimes");
        assertThat(api.get("/type/t1").statusCode()).as("nothing was created").isEqualTo(404);
    }

    @Test
    void telemetryIsValidatedThenWrittenToKafkaWithTheRegistryVersion() throws Exception {
        api.post("/type/door", "{\"props\":[\"open\",\"count\"]}");
        api.post("/type/house", "{\"children\":[\"door\"]}");

        assertThat(
                        api.post(
                                        "/actor/door/d1",
                                        "{\"idx\":0,\"value\":1.0,\"datetime\":\"2020-09-13T17:31:21.671+02:00\"}")
                                .statusCode())
                .isEqualTo(202);
        assertThat(
                        api.post("/actor/door/d1?format=named", "{\"name\":\"count\",\"value\":2}")
                                .statusCode())
                .isEqualTo(202);
        assertThat(
                        api.post(
                                        "/actor/house/h1/door/d2?format=pathed",
                                        "{\"name\":\"house.h1.door.d2.open\",\"value\":0.5}")
                                .statusCode())
                .isEqualTo(202);

        assertStatus(
                api.post("/actor/door/d1", "{\"idx\":2,\"value\":1}"), 400, "idx out of bounds");
        assertStatus(
                api.post("/actor/door/d1", "{\"idx\":0,\"value\":\"x\"}"),
                400,
                "'value' must be a number");
        assertStatus(
                api.post("/actor/door/d1?format=named", "{\"name\":\"speed\",\"value\":1}"),
                400,
                "Can not validate - please check that type definition 'door' exists and supports"
                        + " property 'speed'.");
        assertStatus(
                api.post("/actor/ghost/g1", "{\"idx\":0,\"value\":1}"), 400, "type not defined");
        assertStatus(
                api.post("/actor/door/d1/house/h1", "{\"idx\":0,\"value\":1}"),
                400,
                "door type does not have children of type house");
        assertStatus(
                api.post("/actor/door/d1/house", "{\"idx\":0,\"value\":1}"),
                405,
                "supported methods: GET");
        assertThat(api.delete("/actor/door/d1").statusCode()).isEqualTo(501);

        List<TwinMessage> sent =
                TopicReader.readAll(KAFKA.bootstrapServers(), "dtlab.observations").stream()
                        .filter(r -> r.key().startsWith("door/") || r.key().startsWith("house/"))
                        .map(QueryServiceITCase::message)
                        .toList();
        assertThat(sent)
                .extracting(TwinMessage::path, TwinMessage::idx, TwinMessage::value)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("door/d1", 0, 1.0),
                        org.assertj.core.groups.Tuple.tuple("door/d1", 1, 2.0),
                        org.assertj.core.groups.Tuple.tuple("house/h1/door/d2", 0, 0.5));
        assertThat(sent.get(0).datetime())
                .isIn(Instant.parse("2020-09-13T15:31:21.671Z"), sent.get(0).datetime());
        assertThat(sent).allSatisfy(m -> assertThat(m.controlVersion()).isPositive());
    }

    @Test
    void stateIsReadFromTheJournalDatabaseInEveryFormat() throws Exception {
        api.post("/type/object", "{\"props\":[\"absolute_magnitude\",\"diameter_min\"]}");
        api.post("/type/orbiting_body", "{\"children\":[\"object\"]}");
        writeTwin(
                "orbiting_body/earth/object/3799865",
                "orbiting_body/earth",
                "object",
                "3799865",
                "[{\"idx\":0,\"value\":34.282,\"datetime\":\"2020-11-15T17:14:37.331Z\"},"
                    + "{\"idx\":1,\"value\":0.3699601753,\"datetime\":\"2020-11-15T17:14:37.332Z\"}]",
                "[]");
        String twin = "/actor/orbiting_body/earth/object/3799865";

        assertThat(JSON.readTree(api.get(twin).body()).get(0).get("value").asDouble())
                .isEqualTo(34.282);
        assertThat(api.get(twin + "?format=named").body())
                .contains(
                        "{\"name\":\"absolute_magnitude\",\"value\":34.282,\"datetime\":\"2020-11-15T17:14:37.331Z\"}");
        assertThat(api.get(twin + "?format=pathed").body())
                .contains("\"name\":\"orbiting_body.earth.object.3799865.diameter_min\"");
        assertThat(api.get(twin + "?format=object").body())
                .isEqualTo(
                        "{\"dtType\":\"object\",\"instanceId\":\"3799865\","
                            + "\"datetime\":\"2020-11-15T17:14:37.332Z\",\"state\":{\"absolute_magnitude\":34.282,\"diameter_min\":0.3699601753}}");
        assertThat(api.get("/actor/orbiting_body/earth/object/none").body()).isEqualTo("[]");
        assertThat(api.get("/actor/orbiting_body/earth/object/none?format=object").body())
                .isEqualTo("{\"dtType\":\"object\",\"instanceId\":\"none\"}");
        assertStatus(api.get("/actor/asteroid/a1"), 404, "type not defined");
        assertStatus(
                api.get("/actor/object/o1/orbiting_body/earth"),
                404,
                "object type does not have children of type orbiting_body");
    }

    @Test
    void theJournalIsSlicedNewestFirst() throws Exception {
        api.post("/type/gauge", "{\"props\":[\"v\"]}");
        for (int seq = 1; seq <= 5; seq++) {
            writeJournal("gauge/g1", seq, seq);
        }

        assertThat(journalValues("/actor/gauge/g1?limit=3")).containsExactly(5.0, 4.0, 3.0);
        assertThat(journalValues("/actor/gauge/g1?limit=2&offset=4")).containsExactly(3.0, 2.0);
        assertThat(journalValues("/actor/gauge/g1?limit=10"))
                .containsExactly(5.0, 4.0, 3.0, 2.0, 1.0);
        assertThat(journalValues("/actor/gauge/g1?limit=0")).isEmpty();
        assertThat(api.get("/actor/gauge/g1?limit=1&format=named").body())
                .contains("\"name\":\"v\"");
        assertStatus(api.get("/actor/gauge/g1?limit=many"), 400, "limit must be an integer");
    }

    @Test
    void childrenAreListedNewestFirstPerContainer() throws Exception {
        api.post("/type/building", "{\"children\":[\"floor\"]}");
        api.post("/type/floor", "{\"props\":[\"temp\"]}");
        writeTwin("building/b1", null, "building", "b1", "[]", "[]");
        writeTwin("building/b2", null, "building", "b2", "[]", "[]");
        writeTwin("building/b1/floor/f1", "building/b1", "floor", "f1", "[]", "[]");

        assertThat(JSON.readValue(api.get("/actor/building").body(), List.class))
                .containsExactly("b2", "b1");
        assertThat(JSON.readValue(api.get("/actor/building/b1/floor/").body(), List.class))
                .containsExactly("f1");
        assertThat(api.get("/actor/building/b2/floor").body()).isEqualTo("[]");
        assertThat(api.get("/actor/floor").body()).as("lists are per container").isEqualTo("[]");
        assertStatus(api.get("/actor/tower"), 404, "type not defined");
    }

    @Test
    void operatorsAreCommandsOnTheTwinsKey() throws Exception {
        api.post("/type/pump", "{\"props\":[\"pressure\",\"count\"]}");
        writeTwin(
                "pump/p1",
                null,
                "pump",
                "p1",
                "[]",
                "[{\"name\":\"old\",\"implementation\":\"max\",\"params\":[],\"input\":[0],\"output\":[1]}]");

        HttpResponse<String> put =
                api.post(
                        "/actor/pump/p1/operator",
                        "{\"name\":\"count\",\"implementation\":\"count\",\"params\":[10.1],\"input\":[0],\"output\":[1]}");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(put.body()).findValuesAsText("name"))
                .containsExactly("old", "count");
        assertThat(JSON.readTree(put.body()).get(1).has("created")).isTrue();
        assertThat(
                        JSON.readTree(api.get("/actor/pump/p1/operator").body())
                                .findValuesAsText("name"))
                .containsExactly("old");
        assertThat(api.delete("/actor/pump/p1/operator/").statusCode()).isEqualTo(202);
        assertStatus(
                api.post("/actor/pump/p1/operator", "{\"name\":\"x\"}"),
                400,
                "operator x: implementation is required");
        assertStatus(api.get("/actor/ghost/g1/operator"), 404, "type not defined");

        List<TwinMessage> commands =
                TopicReader.readAll(KAFKA.bootstrapServers(), "dtlab.observations").stream()
                        .filter(r -> r.key().equals("pump/p1"))
                        .map(QueryServiceITCase::message)
                        .toList();
        assertThat(commands)
                .extracting(TwinMessage::command)
                .containsExactly(
                        TwinMessage.Command.PUT_OPERATOR, TwinMessage.Command.DELETE_OPERATORS);
    }

    @Test
    void webhooksAreCreateOnly() throws Exception {
        String body =
                "{\"target\":{\"host\":\"localhost\",\"port\":8082,\"path\":\"/hook\",\"tls\":false},\"dtType\":\"*\",\"eventType\":\"StateChange\"}";
        HttpResponse<String> created = api.post("/webhook/fleet", body);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).get("name").asText()).isEqualTo("fleet");
        assertThat(api.post("/webhook/fleet", body).statusCode()).isEqualTo(409);
        assertThat(api.get("/webhook/fleet").statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(api.get("/webhook").body()).findValuesAsText("name"))
                .contains("fleet");
        assertThat(api.delete("/webhook/fleet").statusCode()).isEqualTo(202);
        assertThat(api.get("/webhook/fleet").statusCode()).isEqualTo(404);
    }

    @Test
    void theNeoExampleIngestsTwentyFourObjectsAsTheOriginalDid() throws Exception {
        api.post("/type/object", "{\"props\":[\"absolute_magnitude\",\"diameter_min\"]}");
        api.post(
                "/type/neo_object",
                "{\"props\":[\"absolute_magnitude\",\"diameter_min\",\"diameter_max\",\"miles_per_hour\",\"distance_in_miles\"]}");
        api.post("/type/neo_body", "{\"children\":[\"neo_object\"]}");
        assertThat(
                        api.post(
                                        "/extractor/object/neo1",
                                        "{\"path\":\"$.near_earth_objects.*[*]\",\"telSpecId\":\"neo1\"}")
                                .statusCode())
                .isEqualTo(201);
        // The example's spec, with the test's own type names (neo_body, neo_object).
        HttpResponse<String> spec =
                api.post(
                        "/extractor/telemetry/neo1",
                        Files.readString(Path.of("../examples/neo1-telemetry-spec.json"))
                                .replace("\"orbiting_body\"", "\"neo_body\"")
                                .replace("\"object\"", "\"neo_object\""));
        assertThat(spec.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(spec.body()).get(0).get("values").findValuesAsText("idx"))
                .containsExactly("0", "1", "2", "3", "4");
        assertThat(
                        api.post(
                                        "/extractor/object/neo1",
                                        "{\"path\":\"$\",\"telSpecId\":\"neo1\"}")
                                .statusCode())
                .isEqualTo(409);

        HttpResponse<String> ingested =
                api.post(
                        "/ingest/array/neo1",
                        Files.readString(Path.of("../examples/near_earth_objects.json")));

        assertThat(ingested.statusCode()).isEqualTo(202);
        JsonNode pairs = JSON.readTree(ingested.body());
        assertThat(pairs).hasSize(120);
        Set<String> twins = new HashSet<>();
        pairs.forEach(p -> twins.add(p.get(0).asText()));
        assertThat(twins).hasSize(24).allMatch(t -> t.startsWith("/neo_body/earth/neo_object/"));
        assertThat(pairs.get(0).get(0).asText()).isEqualTo("/neo_body/earth/neo_object/3726710");
        assertThat(JSON.writeValueAsString(pairs.get(0).get(1)))
                .isEqualTo("{\"idx\":0,\"value\":24.3,\"datetime\":\"2015-09-08T09:45:00.000Z\"}");
        assertThat(pairs.findValues("value").stream().map(JsonNode::asDouble))
                .contains(36.6906137531, 82.0427064882, 43586.0625520053, 2502653.4316094954);
        JsonNode noon = null;
        for (JsonNode p : pairs) {
            if (p.get(0).asText().endsWith("/3553060")) {
                noon = p.get(1);
            }
        }
        assertThat(noon.get("datetime").asText())
                .as("hh read as hour of day")
                .isEqualTo("2015-09-08T12:04:00.000Z");
        assertThat(
                        TopicReader.readAll(KAFKA.bootstrapServers(), "dtlab.observations").stream()
                                .filter(r -> r.key().startsWith("neo_body/")))
                .hasSize(120);

        assertStatus(
                api.post("/ingest/array/none", "{}"), 404, "object extractor spec none not found");
        assertStatus(
                api.post("/ingest/telemetry/none", "{}"),
                404,
                "telemetry extractor spec none not found");
        assertStatus(
                api.post("/ingest/telemetry/neo1", "{\"nothing\":1}"), 400, "nothing extracted");
        assertStatus(
                api.post(
                        "/extractor/telemetry/neo2",
                        "[{\"paths\":[[{\"name\":\"neo_object\",\"path\":\"$.id\"}]],"
                            + "\"values\":[{\"name\":\"mass\",\"typeId\":\"neo_object\",\"path\":\"$.m\"}]}]"),
                400,
                "no type field found for path $.m for specId neo2");
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRoutesThatAnswer() throws Exception {
        HttpResponse<String> document = root.get("/openapi.yaml");
        assertThat(document.statusCode()).isEqualTo(200);
        JsonNode paths = new YAMLMapper().readTree(document.body()).get("paths");
        Set<String> documented = new HashSet<>();
        paths.fields()
                .forEachRemaining(
                        path ->
                                path.getValue()
                                        .fieldNames()
                                        .forEachRemaining(
                                                method -> {
                                                    if (Set.of(
                                                                    "get", "post", "delete", "put",
                                                                    "patch")
                                                            .contains(method)) {
                                                        documented.add(
                                                                method.toUpperCase()
                                                                        + " "
                                                                        + path.getKey());
                                                    }
                                                }));
        Set<String> routed = new HashSet<>();
        Routes.API.routes().forEach(r -> routed.add(r.method() + " " + r.template()));
        Routes.ROOT.routes().forEach(r -> routed.add(r.method() + " " + r.template()));

        assertThat(documented).isEqualTo(routed);
        for (Route<?> route : Routes.API.routes()) {
            if (route.template().endsWith("stream")) {
                continue; // an open stream never ends: StreamITCase checks these routes
            }
            String path =
                    route.template()
                            .replace("{name}", "probe")
                            .replace("{specId}", "probe")
                            .replace("{type}", "probe")
                            .replace("{path}", "probe/p1");
            HttpResponse<String> answer =
                    api.send(
                            route.method(),
                            path,
                            route.method().equals("POST") ? "{}" : null,
                            route.method().equals("POST") ? "application/json" : null);
            assertThat(answer.statusCode())
                    .as(route + " is routed")
                    .isNotIn(405, 500)
                    .satisfiesAnyOf(
                            s -> assertThat(s).isNotEqualTo(404),
                            s -> assertThat(answer.body()).doesNotContain("could not be found"));
        }
    }

    @Test
    void healthAndCounters() {
        assertThat(root.get("/fitness").statusCode()).isEqualTo(200);
        api.get("/type/whatever");
        HttpResponse<String> observe = root.get("/observe");
        assertThat(observe.statusCode()).isEqualTo(200);
        assertThat(observe.body())
                .contains("# TYPE type_route_get_failure counter", "type_route_get_failure ");
    }

    @Test
    void bearerTokensGuardTheApiWhenConfigured() throws Exception {
        try (QueryService guarded =
                QueryService.start(config(Map.of("auth.tokens", "s3cret, other")))) {
            String base = "http://127.0.0.1:" + guarded.port();
            assertStatus(new ApiClient(base + PREFIX, null).get("/type"), 401, "bearer token");
            assertStatus(new ApiClient(base + PREFIX, "wrong").get("/type"), 401, "bearer token");
            assertThat(new ApiClient(base + PREFIX, "s3cret").get("/type").statusCode())
                    .isEqualTo(200);
            assertThat(new ApiClient(base, null).get("/fitness").statusCode()).isEqualTo(200);
            assertThat(new ApiClient(base, null).get("/observe").statusCode()).isEqualTo(401);
        }
    }

    // -- helpers

    private static QueryServiceConfig config(Map<String, String> extra) {
        Map<String, String> settings =
                new java.util.HashMap<>(
                        Map.of(
                                "port", "0",
                                "jdbc.url", db.url(),
                                "jdbc.user", db.user(),
                                "kafka.bootstrap", KAFKA.bootstrapServers(),
                                "max-body-bytes", "1000000"));
        settings.putAll(extra);
        return QueryServiceConfig.fromArgs(
                settings.entrySet().stream()
                        .flatMap(e -> java.util.stream.Stream.of("--" + e.getKey(), e.getValue()))
                        .toArray(String[]::new),
                Map.of());
    }

    private static void assertStatus(HttpResponse<String> response, int status, String text) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(text);
    }

    private static TwinMessage message(ConsumerRecord<String, String> record) {
        try {
            return JSON.readValue(record.value(), TwinMessage.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Double> journalValues(String path) throws Exception {
        return JSON.readTree(api.get(path).body()).findValues("value").stream()
                .map(JsonNode::asDouble)
                .toList();
    }

    private static void writeTwin(
            String path, String parent, String type, String id, String state, String operators)
            throws Exception {
        try (Connection c = db.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO dtlab_twin_state (path, parent_path, dt_type,"
                                    + " instance_id, version, seq, state, operators, created_at)"
                                    + " VALUES (?, ?, ?, ?, 1, 1, ?, ?, ?)")) {
            ps.setString(1, path);
            ps.setString(2, parent);
            ps.setString(3, type);
            ps.setString(4, id);
            ps.setString(5, state);
            ps.setString(6, operators);
            // Rows written later are newer: the listing order must not depend on the clock's
            // resolution.
            ps.setObject(
                    7,
                    OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC)
                            .plusSeconds(ROWS.incrementAndGet()));
            ps.executeUpdate();
        }
    }

    private static void writeJournal(String path, long seq, double value) throws Exception {
        try (Connection c = db.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO dtlab_journal (path, seq, idx, val, datetime) VALUES"
                                        + " (?, ?, 0, ?, ?)")) {
            ps.setString(1, path);
            ps.setLong(2, seq);
            ps.setDouble(3, value);
            ps.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }
}
