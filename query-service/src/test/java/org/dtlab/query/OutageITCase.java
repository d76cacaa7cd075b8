package org.dtlab.query;

import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TcpProxy;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.kafka.EmbeddedKafkaBroker;
import org.dtlab.query.config.QueryServiceConfig;
import org.dtlab.query.testutils.ApiClient;
import org.dtlab.query.testutils.SlowOpening;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The parts the query service needs go away and come back (issue 18): {@code /fitness} and reads
 * answer within a bounded time throughout — a fast 503 naming the part that is down — and the
 * service recovers by itself. PostgreSQL is reached through a proxy that the test cuts and hangs;
 * an embedded H2 database is made slow to open a connection.
 */
class OutageITCase {

    private static final String PREFIX = "/dtlab-alligator";
    private static final Duration FITNESS_BOUND = Duration.ofSeconds(2);

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @Test
    void whileTheDatabaseIsDownOrHungReadsAndFitnessAnswerFastAndNameIt() throws Exception {
        TestDatabase db = TestDatabase.postgres();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432);
                QueryService service =
                        QueryService.start(
                                config(
                                        KAFKA.bootstrapServers(),
                                        db.url()
                                                .replaceFirst(
                                                        "//[^/]+/",
                                                        "//127.0.0.1:" + proxy.port() + "/"),
                                        db))) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + service.port() + PREFIX, null);
            ApiClient root = new ApiClient("http://127.0.0.1:" + service.port(), null);
            assertThat(api.post("/type/door", "{\"props\":[\"open\"]}").statusCode())
                    .isEqualTo(201);
            writeTwin(
                    db,
                    "door/d1",
                    "[{\"idx\":0,\"value\":1.0,\"datetime\":\"2026-01-01T00:00:00.000Z\"}]");
            assertThat(api.get("/actor/door/d1").body()).contains("\"value\":1.0");
            assertThat(root.get("/fitness").statusCode()).isEqualTo(200);

            proxy.refuse(); // as when PostgreSQL is stopped
            assertAnswer(() -> root.get("/fitness"), FITNESS_BOUND, 503, "the journal database");
            assertAnswer(
                    () -> api.get("/actor/door/d1"),
                    Duration.ofSeconds(3),
                    503,
                    "the journal database does not answer");
            assertAnswer(
                    () -> api.post("/actor/door/d1", "{\"idx\":0,\"value\":2}"),
                    Duration.ofSeconds(3),
                    202,
                    "");

            proxy.restore();
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(
                            () -> {
                                assertThat(root.get("/fitness").statusCode()).isEqualTo(200);
                                assertThat(api.get("/actor/door/d1").statusCode()).isEqualTo(200);
                            });

            proxy.stall(); // as behind a dead network: connections open, nothing answers
            assertAnswer(() -> root.get("/fitness"), FITNESS_BOUND, 503, "the journal database");
            assertAnswer(
                    () -> api.get("/actor/door/d1"),
                    Duration.ofSeconds(5),
                    503,
                    "the journal database does not answer");

            proxy.restore();
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(
                            () -> {
                                assertThat(root.get("/fitness").statusCode()).isEqualTo(200);
                                assertThat(api.get("/actor/door/d1").body())
                                        .contains("\"value\":1.0");
                            });
        }
    }

    @Test
    void whileAnEmbeddedH2DoesNotOpenAConnectionReadsAndFitnessAnswerFastAndNameIt(
            @TempDir Path dir) throws Exception {
        // H2 has no connect timeout: a connection waits as long as the database takes to open
        // (here: an event listener that makes it wait, as a long recovery or a slow disk would).
        String url = "jdbc:h2:file:" + dir.resolve("journal");
        try (QueryService service =
                        QueryService.start(
                                config(
                                        KAFKA.bootstrapServers(),
                                        url + SlowOpening.urlSetting(),
                                        "sa",
                                        ""));
                // Keeps the database open, and writes the twin's state as the job would.
                Connection job = DriverManager.getConnection(url, "sa", "")) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + service.port() + PREFIX, null);
            ApiClient root = new ApiClient("http://127.0.0.1:" + service.port(), null);
            assertThat(api.post("/type/valve", "{\"props\":[\"open\"]}").statusCode())
                    .isEqualTo(201);
            writeTwin(
                    job,
                    "valve/v1",
                    "[{\"idx\":0,\"value\":1.0,\"datetime\":\"2026-01-01T00:00:00.000Z\"}]");
            assertThat(api.get("/actor/valve/v1").body()).contains("\"value\":1.0");

            SlowOpening.hold();
            try {
                assertAnswer(
                        () -> root.get("/fitness"), FITNESS_BOUND, 503, "the journal database");
                // More reads than connections may wait to be opened: each answers in time.
                for (int i = 0; i < 20; i++) {
                    assertAnswer(
                            () -> api.get("/actor/valve/v1"),
                            Duration.ofSeconds(3),
                            503,
                            "the journal database does not answer");
                }
                assertAnswer(
                        () -> api.post("/actor/valve/v1", "{\"idx\":0,\"value\":2}"),
                        Duration.ofSeconds(3),
                        202,
                        "");
            } finally {
                SlowOpening.release();
            }
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(
                            () -> {
                                assertThat(root.get("/fitness").statusCode()).isEqualTo(200);
                                assertThat(api.get("/actor/valve/v1").body())
                                        .contains("\"value\":1.0");
                            });
        }
    }

    @Test
    void whileKafkaIsDownFitnessSaysSoFastAndReadsGoOn() throws Exception {
        TestDatabase db = TestDatabase.h2();
        Path dir = Files.createTempDirectory("dtlab-kafka-outage");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0);
        boolean stopped = false;
        try (QueryService service =
                QueryService.start(config(broker.bootstrapServers(), db.url(), db))) {
            ApiClient api = new ApiClient("http://127.0.0.1:" + service.port() + PREFIX, null);
            ApiClient root = new ApiClient("http://127.0.0.1:" + service.port(), null);
            assertThat(api.post("/type/door", "{\"props\":[\"open\"]}").statusCode())
                    .isEqualTo(201);
            writeTwin(
                    db,
                    "door/d1",
                    "[{\"idx\":0,\"value\":1.0,\"datetime\":\"2026-01-01T00:00:00.000Z\"}]");
            assertThat(root.get("/fitness").statusCode()).isEqualTo(200);

            broker.close();
            stopped = true;

            assertAnswer(() -> root.get("/fitness"), FITNESS_BOUND, 503, "Kafka");
            assertAnswer(
                    () -> api.get("/actor/door/d1"), Duration.ofSeconds(2), 200, "\"value\":1.0");
        } finally {
            if (!stopped) {
                broker.close();
            }
        }
    }

    // -- helpers

    private static QueryServiceConfig config(String kafka, String jdbcUrl, TestDatabase db) {
        return config(kafka, jdbcUrl, db.user(), db.password());
    }

    private static QueryServiceConfig config(
            String kafka, String jdbcUrl, String user, String password) {
        Map<String, String> settings =
                new HashMap<>(
                        Map.of(
                                "port", "0",
                                "jdbc.url", jdbcUrl,
                                "jdbc.user", user,
                                "kafka.bootstrap", kafka,
                                "jdbc.connect-timeout-ms", "1000",
                                "jdbc.query-timeout-ms", "2000",
                                "confirm-timeout-ms", "2000"));
        if (!password.isEmpty()) {
            settings.put("jdbc.password", password);
        }
        return QueryServiceConfig.fromArgs(
                settings.entrySet().stream()
                        .flatMap(e -> Stream.of("--" + e.getKey(), e.getValue()))
                        .toArray(String[]::new),
                Map.of());
    }

    private static void assertAnswer(
            Supplier<HttpResponse<String>> call, Duration bound, int status, String text) {
        long start = System.nanoTime();
        HttpResponse<String> answer = call.get();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(answer.statusCode()).as(answer.uri() + ": " + answer.body()).isEqualTo(status);
        assertThat(answer.body()).contains(text);
        assertThat(took).as(answer.uri() + " answered in time").isLessThan(bound);
    }

    private static void writeTwin(TestDatabase db, String path, String state) throws Exception {
        try (Connection c = db.connect()) {
            writeTwin(c, path, state);
        }
    }

    private static void writeTwin(Connection c, String path, String state) throws Exception {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO dtlab_twin_state (path, parent_path, dt_type,"
                                + " instance_id, version, seq, state, operators, created_at)"
                                + " VALUES (?, NULL, ?, ?, 1, 1, ?, '[]',"
                                + " CURRENT_TIMESTAMP)")) {
            ps.setString(1, path);
            ps.setString(2, path.substring(0, path.indexOf('/')));
            ps.setString(3, path.substring(path.indexOf('/') + 1));
            ps.setString(4, state);
            ps.executeUpdate();
        }
    }
}
