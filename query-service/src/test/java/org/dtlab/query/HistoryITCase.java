package org.dtlab.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.model.json.Json;
import org.dtlab.query.config.QueryServiceConfig;
import org.dtlab.query.testutils.ApiClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History over real HTTP — state as of an instant, the journal between two instants, series — on
 * both journal databases: H2 (embedded, the default) and PostgreSQL (production), since the
 * bucketing and ranking SQL must mean the same on each. The journal is written as the job writes
 * it.
 */
class HistoryITCase {

    private static final String PREFIX = "/dtlab-alligator";
    private static final ObjectMapper JSON = Json.mapper();
    private static final String TWIN = "/actor/meter/m1";

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    private static final List<QueryService> SERVICES = new ArrayList<>();
    private static final Map<String, ApiClient> APIS = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        for (Map.Entry<String, TestDatabase> db :
                Map.of("h2", TestDatabase.h2(), "postgres", TestDatabase.postgres()).entrySet()) {
            QueryService service = QueryService.start(config(db.getValue()));
            SERVICES.add(service);
            ApiClient api = new ApiClient("http://127.0.0.1:" + service.port() + PREFIX, null);
            APIS.put(db.getKey(), api);
            // Both services read the same control topic: the second create is a 409 once it has the
            // type.
            assertThat(api.post("/type/meter", "{\"props\":[\"power\",\"energy\"]}").statusCode())
                    .isIn(201, 409);
            assertThat(api.post("/type/series", "{\"props\":[\"x\"]}").statusCode()).isIn(201, 409);
            assertThat(
                            api.post("/type/tank", "{\"props\":[\"v\"],\"children\":[\"series\"]}")
                                    .statusCode())
                    .isIn(201, 409);
            // seq 5 arrives late: its datetime is before seq 3's and 4's, and the twin applied it
            // last.
            journal(db.getValue(), "meter/m1", 1, 0, 10, "10:00:00");
            journal(db.getValue(), "meter/m1", 2, 1, 100, "10:00:30");
            journal(db.getValue(), "meter/m1", 3, 0, 20, "10:01:10");
            journal(db.getValue(), "meter/m1", 4, 0, 30, "10:01:50");
            journal(db.getValue(), "meter/m1", 5, 0, 5, "10:00:45");
            journal(db.getValue(), "meter/m1", 6, 1, 200, "10:03:00");
            journal(db.getValue(), "meter/m2", 1, 0, 99, "10:00:10");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (QueryService service : SERVICES) {
            service.close();
        }
    }

    static Stream<String> databases() {
        return Stream.of("h2", "postgres");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theStateAsOfAnInstantIsTheLastAppliedValueOfEachPropertyUpToIt(String db)
            throws Exception {
        ApiClient api = APIS.get(db);

        assertThat(values(api.get(TWIN + "?at=2026-01-01T10:00:40Z")))
                .containsExactly(0, 10.0, 1, 100.0);
        assertThat(values(api.get(TWIN + "?at=2026-01-01T10:00:45Z")))
                .as("at is inclusive")
                .containsExactly(0, 5.0, 1, 100.0);
        assertThat(values(api.get(TWIN + "?at=2026-01-01T12:00:45%2B02:00")))
                .containsExactly(0, 5.0, 1, 100.0);
        assertThat(values(api.get(TWIN + "?at=2026-01-01T10:02:00Z")))
                .as("the late value was applied last")
                .containsExactly(0, 5.0, 1, 100.0);
        assertThat(api.get(TWIN + "?at=2026-01-01T10:00:40Z&format=named").body())
                .isEqualTo(
                        "[{\"name\":\"power\",\"value\":10.0,\"datetime\":\"2026-01-01T10:00:00.000Z\"},"
                            + "{\"name\":\"energy\",\"value\":100.0,\"datetime\":\"2026-01-01T10:00:30.000Z\"}]");
        assertThat(api.get(TWIN + "?at=2026-01-01T10:05:00Z&format=object").body())
                .isEqualTo(
                        "{\"dtType\":\"meter\",\"instanceId\":\"m1\",\"datetime\":\"2026-01-01T10:03:00.000Z\","
                            + "\"state\":{\"power\":5.0,\"energy\":200.0}}");
        assertThat(api.get(TWIN + "?at=2026-01-01T09:00:00Z").body()).isEqualTo("[]");
        assertThat(api.get(TWIN + "?at=2026-01-01T09:00:00Z&format=object").body())
                .isEqualTo("{\"dtType\":\"meter\",\"instanceId\":\"m1\"}");
        assertThat(api.get("/actor/meter/never?at=2026-01-01T09:00:00Z").body()).isEqualTo("[]");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void theJournalBetweenTwoInstantsIsPagedNewestFirst(String db) throws Exception {
        ApiClient api = APIS.get(db);
        String range = TWIN + "?from=2026-01-01T10:00:30Z&to=2026-01-01T10:01:50Z";

        assertThat(values(api.get(range)))
                .as("from inclusive, to exclusive")
                .containsExactly(0, 20.0, 0, 5.0, 1, 100.0);
        assertThat(values(api.get(range + "&limit=2&offset=1"))).containsExactly(0, 5.0, 1, 100.0);
        assertThat(values(api.get(range + "&limit=2&offset=3"))).isEmpty();
        assertThat(values(api.get(TWIN + "?from=2026-01-01T10:01:00Z")))
                .as("open end")
                .containsExactly(1, 200.0, 0, 30.0, 0, 20.0);
        assertThat(values(api.get(TWIN + "?to=2026-01-01T10:00:30Z")))
                .as("open start")
                .containsExactly(0, 10.0);
        assertThat(api.get(range + "&limit=1&format=named").body())
                .isEqualTo(
                        "[{\"name\":\"power\",\"value\":20.0,\"datetime\":\"2026-01-01T10:01:10.000Z\"}]");
        assertThat(values(api.get(TWIN + "?limit=2")))
                .as("the sequence slice is unchanged")
                .containsExactly(1, 200.0, 0, 5.0);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSeriesIsAggregatedInTimeBucketsByTheDatabase(String db) throws Exception {
        ApiClient api = APIS.get(db);
        String series = TWIN + "/series?idx=0&from=2026-01-01T10:00:00Z&to=2026-01-01T10:02:00Z";

        JsonNode avg = JSON.readTree(api.get(series + "&step=1m&agg=avg").body());
        assertThat(avg.get("name").asText()).isEqualTo("power");
        assertThat(avg.get("step").asText()).isEqualTo("PT1M");
        assertThat(points(avg))
                .containsExactly(
                        "2026-01-01T10:00:00.000Z=7.5/2", "2026-01-01T10:01:00.000Z=25.0/2");
        assertThat(points(series + "&step=1m&agg=min", api))
                .containsExactly(
                        "2026-01-01T10:00:00.000Z=5.0/2", "2026-01-01T10:01:00.000Z=20.0/2");
        assertThat(points(series + "&step=1m&agg=max", api))
                .containsExactly(
                        "2026-01-01T10:00:00.000Z=10.0/2", "2026-01-01T10:01:00.000Z=30.0/2");
        assertThat(points(series + "&step=1m&agg=count", api))
                .containsExactly(
                        "2026-01-01T10:00:00.000Z=2.0/2", "2026-01-01T10:01:00.000Z=2.0/2");
        assertThat(points(series + "&step=1m&agg=last", api))
                .as("the newest datetime in the bucket, not the last applied")
                .containsExactly(
                        "2026-01-01T10:00:00.000Z=5.0/2", "2026-01-01T10:01:00.000Z=30.0/2");
        assertThat(points(series + "&step=30s&agg=last", api))
                .containsExactly(
                        "2026-01-01T10:00:00.000Z=10.0/1",
                        "2026-01-01T10:00:30.000Z=5.0/1",
                        "2026-01-01T10:01:00.000Z=20.0/1",
                        "2026-01-01T10:01:30.000Z=30.0/1");
        assertThat(points(series + "&step=PT1H", api))
                .as("buckets start at multiples of the step since 1970; avg by default")
                .containsExactly("2026-01-01T10:00:00.000Z=16.25/4");
        assertThat(
                        points(
                                TWIN
                                        + "/series?idx=1&from=2026-01-01T10:00:00Z&to=2026-01-01T10:02:00Z",
                                api))
                .as("one property only; step 1m by default")
                .containsExactly("2026-01-01T10:00:00.000Z=100.0/1");
        assertThat(
                        points(
                                TWIN
                                        + "/series?idx=0&from=2025-01-01T00:00:00Z&to=2025-01-02T00:00:00Z",
                                api))
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void badParametersAreA400ThatNamesThem(String db) {
        ApiClient api = APIS.get(db);
        String series = TWIN + "/series?idx=0&from=2026-01-01T10:00:00Z&to=2026-01-01T10:02:00Z";

        assertStatus(
                api.get(series + "&agg=median"),
                400,
                "agg must be one of avg, min, max, count, last, got 'median'");
        assertStatus(api.get(series + "&step=500ms"), 400, "step must be between 1s and 1d");
        assertStatus(api.get(series + "&step=2d"), 400, "step must be between 1s and 1d");
        assertStatus(api.get(series + "&step=soon"), 400, "step must be a duration such as 30s");
        assertStatus(
                api.get(
                        TWIN
                                + "/series?idx=0&from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:00Z&step=1m"),
                400,
                "make 527040 buckets, at most 10000");
        assertStatus(
                api.get(TWIN + "/series?from=2026-01-01T10:00:00Z&to=2026-01-01T10:02:00Z"),
                400,
                "a series needs idx");
        assertStatus(
                api.get(TWIN + "/series?idx=2&from=2026-01-01T10:00:00Z&to=2026-01-01T10:02:00Z"),
                400,
                "idx out of bounds");
        assertStatus(
                api.get(TWIN + "/series?idx=x&from=2026-01-01T10:00:00Z&to=2026-01-01T10:02:00Z"),
                400,
                "idx must be a whole number");
        assertStatus(
                api.get(TWIN + "/series?idx=0&from=2026-01-01T10:00:00Z"),
                400,
                "a series needs from and to");
        assertStatus(
                api.get(TWIN + "/series?idx=0&from=2026-01-01T10:00:00Z&to=2026-01-01T10:00:00Z"),
                400,
                "from must be before to");
        assertStatus(
                api.get(TWIN + "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"),
                400,
                "from must be before to");
        assertStatus(api.get(TWIN + "?at=yesterday"), 400, "at: invalid datetime 'yesterday'");
        assertStatus(
                api.get(TWIN + "?at=2026-01-01T10:00:00"), 400, "expected ISO-8601 with a zone");
        assertStatus(
                api.get(TWIN + "?from=-0001-01-01T00:00:00Z"),
                400,
                "from: datetime '-0001-01-01T00:00:00Z' is out of range");
        assertStatus(
                api.get(TWIN + "?at=2026-01-01T10:00:00Z&from=2026-01-01T10:00:00Z"),
                400,
                "at cannot be combined with from");
        assertStatus(
                api.get(TWIN + "?from=2026-01-01T10:00:00Z&limit=10001"),
                400,
                "limit must be at most 10000");
        assertStatus(
                api.get(TWIN + "?from=2026-01-01T10:00:00Z&offset=-1"),
                400,
                "offset must be 0 or more");
        assertStatus(api.get("/actor/nothing/n1?at=2026-01-01T10:00:00Z"), 404, "type not defined");
        assertStatus(api.get("/actor/nothing/n1/series?idx=0"), 404, "type not defined");
        assertStatus(
                api.send("POST", TWIN + "/series", "{}", "application/json"),
                405,
                "supported methods: GET");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aTypeWithChildrenCalledSeriesKeepsItsListing(String db) throws Exception {
        ApiClient api = APIS.get(db);

        assertThat(api.get("/actor/tank/t1/series").statusCode())
                .as("tank declares children of type series")
                .isEqualTo(200);
        assertThat(api.get("/actor/tank/t1/series").body()).isEqualTo("[]");
        assertStatus(api.get("/actor/meter/m1/series"), 400, "a series needs idx");
    }

    // -- helpers

    private static QueryServiceConfig config(TestDatabase db) {
        Map<String, String> settings =
                Map.of(
                        "port", "0",
                        "jdbc.url", db.url(),
                        "jdbc.user", db.user(),
                        "jdbc.password", db.password(),
                        "kafka.bootstrap", KAFKA.bootstrapServers());
        return QueryServiceConfig.fromArgs(
                settings.entrySet().stream()
                        .flatMap(e -> Stream.of("--" + e.getKey(), e.getValue()))
                        .toArray(String[]::new),
                Map.of());
    }

    private static void journal(
            TestDatabase db, String path, long seq, int idx, double value, String time)
            throws Exception {
        try (Connection c = db.connect();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO dtlab_journal (path, seq, idx, val, datetime) VALUES"
                                        + " (?, ?, ?, ?, ?)")) {
            ps.setString(1, path);
            ps.setLong(2, seq);
            ps.setInt(3, idx);
            ps.setDouble(4, value);
            ps.setObject(
                    5,
                    OffsetDateTime.ofInstant(
                            Instant.parse("2026-01-01T" + time + "Z"), ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    /** idx, value, idx, value… of a JSON array of telemetry. */
    private static List<Object> values(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Object> values = new ArrayList<>();
        for (JsonNode t : JSON.readTree(response.body())) {
            values.add(t.get("idx").asInt());
            values.add(t.get("value").asDouble());
        }
        return values;
    }

    private static List<String> points(String uri, ApiClient api) throws Exception {
        HttpResponse<String> response = api.get(uri);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return points(JSON.readTree(response.body()));
    }

    /** "bucket start=value/count" per point. */
    private static List<String> points(JsonNode series) {
        List<String> points = new ArrayList<>();
        for (JsonNode p : series.get("points")) {
            points.add(
                    p.get("datetime").asText()
                            + "="
                            + p.get("value").asDouble()
                            + "/"
                            + p.get("count").asLong());
        }
        return points;
    }

    private static void assertStatus(HttpResponse<String> response, int status, String text) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(text);
    }
}
