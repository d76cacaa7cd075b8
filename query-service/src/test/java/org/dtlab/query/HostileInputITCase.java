package org.dtlab.query;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.dtlab.connectors.kafka.KafkaOptions;
import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.model.Limits;
import org.dtlab.query.config.QueryServiceConfig;
import org.dtlab.query.testutils.ApiClient;
import org.dtlab.query.testutils.RawHttp;
import org.dtlab.query.testutils.StalledRequest;
import org.dtlab.query.testutils.TopicReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Requests an attacker or a careless client sends (issue 18): each gets a clear 4xx — never a 5xx,
 * a Java class name, or a hang for others — and nothing of it is written.
 */
class HostileInputITCase {

    private static final String PREFIX = "/dtlab-alligator";
    private static final int MAX_BODY_BYTES = 1_000_000;

    /**
     * More than Undertow's worker threads (8 per IO thread, one IO thread per core, at least 2).
     */
    private static final int STALLED =
            Math.max(2, Runtime.getRuntime().availableProcessors()) * 8 + 4;

    private static final int READ_TIMEOUT_MS = 2_000;
    private static final List<String> INTERNALS =
            List.of(
                    "org.",
                    "java.",
                    "Exception",
                    "StreamReadConstraints",
                    "CoercionConfig",
                    "DeserializationFeature",
                    "`",
                    "[Source");

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    private static QueryService service;
    private static ApiClient api;
    private static ApiClient root;

    @BeforeAll
    static void start() throws Exception {
        TestDatabase db = TestDatabase.h2();
        Map<String, String> settings =
                new HashMap<>(
                        Map.of(
                                "port", "0",
                                "jdbc.url", db.url(),
                                "jdbc.user", db.user(),
                                "kafka.bootstrap", KAFKA.bootstrapServers(),
                                "max-body-bytes", String.valueOf(MAX_BODY_BYTES),
                                "http.read-timeout-ms", String.valueOf(READ_TIMEOUT_MS),
                                "http.max-pending-bodies", String.valueOf(STALLED + 1)));
        service =
                QueryService.start(
                        QueryServiceConfig.fromArgs(
                                settings.entrySet().stream()
                                        .flatMap(e -> Stream.of("--" + e.getKey(), e.getValue()))
                                        .toArray(String[]::new),
                                Map.of()));
        api = new ApiClient("http://127.0.0.1:" + service.port() + PREFIX, null);
        root = new ApiClient("http://127.0.0.1:" + service.port(), null);
        assertThat(api.post("/type/door", "{\"props\":[\"open\",\"count\"]}").statusCode())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
    }

    @Test
    void clientsThatStallInTheirBodiesHoldNoWorkerAndAreClosedAfterTheReadTimeout()
            throws Exception {
        List<StalledRequest> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < STALLED; i++) {
                stalled.add(
                        StalledRequest.open(
                                service.port(), PREFIX + "/type/slow" + i, 1000, "{\"props"));
            }

            // Every route still answers at once, a write with a body included.
            assertAnswersWithin(Duration.ofSeconds(2), () -> root.get("/fitness"), 200);
            assertAnswersWithin(Duration.ofSeconds(2), () -> api.get("/type/door"), 200);
            assertAnswersWithin(
                    Duration.ofSeconds(2),
                    () -> api.post("/actor/door/d1", "{\"idx\":0,\"value\":1}"),
                    202);
            // ... but once the bound is taken too, a body beyond it waits for none: a 503 at once.
            stalled.add(
                    StalledRequest.open(service.port(), PREFIX + "/type/slow", 1000, "{\"props"));
            assertStatus(
                    fresh().send(
                                    HttpRequest.newBuilder(
                                                    URI.create(api.base() + "/actor/door/d1"))
                                            .header("Content-Type", "application/json")
                                            .POST(
                                                    HttpRequest.BodyPublishers.ofInputStream(
                                                            () ->
                                                                    new ByteArrayInputStream(
                                                                            "{\"idx\":0,\"value\":1}"
                                                                                    .getBytes(
                                                                                            StandardCharsets
                                                                                                    .UTF_8))))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()),
                    503,
                    "request bodies already");
            long start = System.nanoTime();
            await().atMost(Duration.ofMillis(READ_TIMEOUT_MS * 3L))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> stalled.stream().allMatch(StalledRequest::isClosedByServer));
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("closed by the read timeout, not before")
                    .isGreaterThan(Duration.ofMillis(READ_TIMEOUT_MS / 2));
            assertThat(api.post("/type/slow0", "{\"props\":[\"a\"]}").statusCode())
                    .as("the bound is free again")
                    .isEqualTo(201);
        } finally {
            for (StalledRequest request : stalled) {
                request.close();
            }
        }
    }

    @Test
    void textAfterTheJsonValueIsRefused() {
        assertStatus(
                api.post("/type/twice", "{\"props\":[\"a\"]}{\"props\":[\"b\"]}"),
                400,
                "more after the JSON value");
        assertStatus(
                api.post("/actor/door/twice", "{\"idx\":0,\"value\":1}{\"idx\":0,\"value\":2}"),
                400,
                "more after the JSON value");
        assertStatus(
                api.post("/actor/door/twice", "{\"idx\":0,\"value\":1} x"),
                400,
                "not valid JSON at line 1, column 21");
        assertThat(api.get("/type/twice").statusCode()).isEqualTo(404);
        assertThat(observationsFor("door/twice")).isEmpty();
    }

    @Test
    void negativeSlicesLongPathsAndOversizedChunkedBodiesAreClientErrors() throws Exception {
        assertStatus(api.get("/actor/door/d1?limit=-1"), 400, "limit must be 0 or more, got -1");
        assertStatus(
                api.get("/actor/door/d1?limit=2&offset=-5"),
                400,
                "offset must be 0 or more, got -5");
        String deep =
                IntStream.range(0, 11).mapToObj(i -> "door/d" + i).collect(Collectors.joining("/"));
        assertStatus(api.get("/actor/" + deep), 400, "at most 20 segments), got 22 segments");
        assertStatus(api.post("/actor/" + deep, "{\"idx\":0,\"value\":1}"), 400, "got 22 segments");
        assertStatus(api.get("/alarm/" + deep), 400, "got 22 segments");

        byte[] tooLarge =
                ("{\"props\":[\"" + "x".repeat(MAX_BODY_BYTES) + "\"]}")
                        .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked =
                fresh().send(
                                HttpRequest.newBuilder(URI.create(api.base() + "/type/chunky"))
                                        .header("Content-Type", "application/json")
                                        .POST(
                                                HttpRequest.BodyPublishers.ofInputStream(
                                                        () -> new ByteArrayInputStream(tooLarge)))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertStatus(chunked, 413, "request body exceeds the limit of 1000000 bytes");
        assertThat(api.get("/type/chunky").statusCode()).isEqualTo(404);
    }

    @Test
    void malformedBodiesAreNamedByFieldOrPositionNeverByJavaClass() {
        Map<String, String> answers = new HashMap<>();
        answers.put("{\"props\":[null]}", "type malformed: 'props' must not hold null");
        answers.put("{\"props\":[\"a\",{\"b\":1}]}", "'props[1]' must be a string");
        answers.put("{\"props\":\"height\"}", "'props' must be an array");
        answers.put(
                "{\"operators\":[{\"name\":\"c\",\"implementation\":\"count\",\"input\":[\"x\"],\"output\":[1]}]}",
                "'operators[0].input[0]' must be a whole number");
        answers.put(
                "{\"operators\":[{\"name\":\"c\",\"implementation\":\"count\",\"input\":[null],\"output\":[1]}]}",
                "operator c: input, output and params must not hold null");
        answers.put(
                "{\"props\":[\"a\"],\"created\":\"yesterday\"}",
                "'created': invalid datetime 'yesterday'");
        answers.put("{\"props\":[\"a\"", "the JSON ends too early at line 1");
        answers.put(
                "{\"props\":[\"a\"]]",
                "not valid JSON at line 1, column 15: Unexpected close marker ']': expected '}'");
        answers.put("[".repeat(1500) + "]".repeat(1500), "exceeds the limits of a request");
        answers.put(
                "{\"props\":[\"a\"],\"n\":" + "1".repeat(2000) + "}",
                "exceeds the limits of a request");
        answers.forEach(
                (body, expected) -> {
                    HttpResponse<String> answer = api.post("/type/malformed", body);
                    assertStatus(answer, 400, expected);
                    assertThat(answer.body()).as(body).doesNotContain(INTERNALS);
                });
        assertStatus(
                api.post(
                        "/webhook/w1",
                        "{\"target\":{\"host\":\"h\",\"port\":1},\"eventType\":\"Sometimes\"}"),
                400,
                "'eventType': 'Sometimes' is not one of Creation, StateChange, AlarmRaised,"
                        + " AlarmCleared");
        assertStatus(
                api.post(
                        "/actor/door/d1/operator",
                        "{\"name\":\"x\",\"implementation\":\"count\",\"input\":\"0\",\"output\":[1]}"),
                400,
                "'input' must be an array");
        assertThat(api.get("/type/malformed").statusCode()).isEqualTo(404);
    }

    @Test
    void badPercentEncodingIsA400ThatSaysSo() throws Exception {
        // Escapes that break the URI syntax never reach the API: Undertow's parser answers a bare
        // 400.
        assertRaw("/type/%zz", 400, "");
        assertRaw("/actor/door/d1?limit=%G1", 400, "");
        // Well-formed escapes of bytes that are no text get a 400 that says so.
        assertRaw("/type/%C3%28", 400, "bad percent-encoding in the path: the bytes are not UTF-8");
        assertRaw(
                "/actor/door/d1?limit=%FF",
                400, "bad percent-encoding in query parameter 'limit': the bytes are not UTF-8");
        assertRaw(
                "/actor/door/d1?%FF=1",
                400, "bad percent-encoding in the query: the bytes are not UTF-8");
        assertRaw("/type/d%6F%6Fr", 200, "\"name\":\"door\"");
        assertStatus(api.post("/type/t%20x", "{}"), 400, "invalid type name 't x'");
    }

    private static void assertRaw(String path, int status, String text) throws Exception {
        RawHttp.Answer answer = RawHttp.get(service.port(), PREFIX + path);
        assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(status);
        assertThat(answer.body()).contains(text);
    }

    @Test
    void datetimesOutsideTheSupportedRangeAreRefusedAtTheApi() {
        for (String datetime :
                List.of(
                        "-2000-06-01T00:00:00Z",
                        "0000-06-01T00:00:00Z",
                        "-999999999-01-01T00:00:00Z",
                        "+10000-01-01T00:00:00Z")) {
            assertStatus(
                    api.post(
                            "/actor/door/ancient",
                            "{\"idx\":0,\"value\":1,\"datetime\":\"" + datetime + "\"}"),
                    400,
                    "datetime '"
                            + datetime
                            + "' is out of range: supported are 0001-01-01T00:00:00.000Z to"
                            + " 9999-12-31T23:59:59.999Z");
        }
        assertStatus(
                api.post(
                        "/type/ancient",
                        "{\"props\":[\"a\"],\"created\":\"-2000-06-01T00:00:00Z\"}"),
                400,
                "'created': datetime '-2000-06-01T00:00:00Z' is out of range");
        assertThat(observationsFor("door/ancient")).isEmpty();

        assertThat(
                        api.post(
                                        "/actor/door/ancient",
                                        "{\"idx\":0,\"value\":1,\"datetime\":\"0001-01-01T00:00:00Z\"}")
                                .statusCode())
                .isEqualTo(202);
        assertThat(
                        api.post(
                                        "/actor/door/ancient",
                                        "{\"idx\":0,\"value\":2,\"datetime\":\"9999-12-31T23:59:59.999Z\"}")
                                .statusCode())
                .isEqualTo(202);
        assertThat(observationsFor("door/ancient"))
                .extracting(ConsumerRecord::value)
                .satisfiesExactly(
                        first ->
                                assertThat(first)
                                        .contains("\"datetime\":\"0001-01-01T00:00:00.000Z\""),
                        last ->
                                assertThat(last)
                                        .contains("\"datetime\":\"9999-12-31T23:59:59.999Z\""));
    }

    @Test
    void definitionsTheJobWouldRefuseAreRefusedBeforeTheyAreWritten() {
        String manyProps =
                IntStream.range(0, 25_000)
                        .mapToObj(i -> "\"p" + i + "\"")
                        .collect(Collectors.joining(","));
        assertStatus(
                api.post("/type/big", "{\"props\":[" + manyProps + "]}"),
                400,
                "type big: at most " + Limits.MAX_PROPS + " props, got 25000");

        String longProps =
                IntStream.range(0, 1000)
                        .mapToObj(i -> "\"" + "p".repeat(300) + i + "\"")
                        .collect(Collectors.joining(","));
        assertStatus(
                api.post("/type/wide", "{\"props\":[" + longProps + "]}"),
                413,
                "type wide as a control record would be 30");
        assertStatus(
                api.post("/type/wide", "{\"props\":[" + longProps + "]}"),
                413,
                "over the limit of 262144 bytes");

        String manyInputs =
                IntStream.range(0, 140_000).mapToObj(i -> "0").collect(Collectors.joining(","));
        assertStatus(
                api.post(
                        "/actor/door/d1/operator",
                        "{\"name\":\"wide\",\"implementation\":\"count\",\"input\":["
                                + manyInputs
                                + "],\"output\":[1]}"),
                400,
                "operator wide: at most 256 input and output indexes");
        assertStatus(
                api.post(
                        "/type/wideop",
                        "{\"props\":[\"a\"],\"operators\":[{\"name\":\"wide\",\"implementation\":\"count\",\"input\":["
                                + manyInputs
                                + "],\"output\":[1]}]}"),
                400,
                "operator wide: at most 256 input and output indexes");

        String manyParams =
                IntStream.range(0, 30_000)
                        .mapToObj(i -> "0.123456789")
                        .collect(Collectors.joining(","));
        assertStatus(
                api.post(
                        "/actor/door/d2/operator",
                        "{\"name\":\"heavy\",\"implementation\":\"count\",\"params\":["
                                + manyParams
                                + "],\"input\":[0],\"output\":[1]}"),
                413,
                "a message to a twin would be");

        assertThat(api.get("/type/big").statusCode()).isEqualTo(404);
        assertThat(api.get("/type/wide").statusCode()).isEqualTo(404);
        assertThat(api.get("/type/wideop").statusCode()).isEqualTo(404);
        assertThat(TopicReader.readAll(KAFKA.bootstrapServers(), "dtlab.control"))
                .extracting(ConsumerRecord::key)
                .doesNotContain("type/big", "type/wide", "type/wideop");
        assertThat(observationsFor("door/d2")).isEmpty();
    }

    @Test
    void theRecordLimitIsTheJobsByDefault() {
        assertThat(QueryServiceConfig.DEFAULT_MAX_RECORD_BYTES)
                .isEqualTo(KafkaOptions.DEFAULT_MAX_RECORD_BYTES);
    }

    // -- helpers

    private interface Call {
        HttpResponse<String> call() throws Exception;
    }

    private static void assertAnswersWithin(Duration bound, Call call, int status)
            throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> answer = call.call();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as(answer.uri() + " answered in time")
                .isLessThan(bound);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
    }

    /** A client of its own: its connections are not the shared client's. */
    private static HttpClient fresh() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static List<ConsumerRecord<String, String>> observationsFor(String path) {
        return TopicReader.readAll(KAFKA.bootstrapServers(), "dtlab.observations").stream()
                .filter(r -> r.key().equals(path))
                .toList();
    }

    private static void assertStatus(HttpResponse<String> response, int status, String text) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).contains(text);
    }
}
