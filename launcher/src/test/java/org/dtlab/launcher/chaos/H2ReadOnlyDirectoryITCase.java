package org.dtlab.launcher.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.dtlab.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Chaos: {@code dtlab local} on its embedded H2 journal, observations flowing without pause, and
 * H2's directory made read-only for 20 s: writes to H2's open files fail, no file can be opened for
 * writing ({@link ReadOnlySwitchFileSystem}, which does this for root too). H2 closes its store at
 * the first failed write. When the directory is writable again, the job must write again by itself,
 * every acknowledged observation exactly once in the state and the journal, and reads must answer
 * throughout. The recovery time goes to target/chaos-results.txt.
 *
 * <p>Before, this never healed: a JDBC writer whose close failed kept its connection, and with it
 * the database H2 had opened read-only during the fault ("The database is read only"); the query
 * service's pooled connections to the closed store passed the pool's check, and each read on one
 * closed whatever database H2 had opened since, whose file lock then refused every new connection
 * ("The file is locked").
 */
class H2ReadOnlyDirectoryITCase {

    private static final Duration FAULT = Duration.ofSeconds(20);
    private static final int TWINS = 4;
    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    @Test
    void theJournalHealsAfterItsDirectoryWasReadOnly(@TempDir Path data) throws Exception {
        Path readOnly = data.resolve("journal-is-read-only");
        Path journal = data.resolve("journal").resolve("dtlab");
        AtomicBoolean feeding = new AtomicBoolean(true);
        AtomicLongArray acknowledged = new AtomicLongArray(TWINS);
        Duration recovery;
        try (LocalProcess local =
                LocalProcess.start(
                        List.of("-D" + ReadOnlySwitchFileSystem.SWITCH_PROPERTY + "=" + readOnly),
                        ReadOnlySwitchMain.class.getName(),
                        data,
                        "--jdbc.url",
                        // as dtlab local builds it for its embedded H2, on the switchable files
                        "jdbc:h2:"
                                + ReadOnlySwitchFileSystem.SCHEME
                                + ":"
                                + journal
                                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
                        "--jdbc.user",
                        "sa")) {
            String api = local.awaitReady();
            assertThat(
                            post(
                                    api,
                                    "/type/machine",
                                    "{\"props\":[\"value\",\"count\"],\"operators\":[{\"name\":\"n\","
                                        + "\"implementation\":\"count\",\"input\":[0],\"output\":[1]}]}"))
                    .isEqualTo(201);
            Thread feeder = feed(api, acknowledged, feeding);
            try {
                String job =
                        await().atMost(Duration.ofMinutes(1))
                                .until(local::runningJob, Optional::isPresent)
                                .get();
                await().atMost(Duration.ofMinutes(2))
                        .until(
                                () ->
                                        local.completedCheckpoints(job) >= 1
                                                && visibleCount(api, 0) > 20);

                Files.createFile(readOnly);
                System.out.println(
                        "H2's directory read-only; m0 had "
                                + acknowledged.get(0)
                                + " acknowledged observations");
                Thread.sleep(FAULT.toMillis()); // the fault itself: observations keep flowing
                assertThat(reads(api))
                        .as("a read during the fault answers with the last written state")
                        .isEqualTo(200);
                Files.delete(readOnly);
                long writableAt = System.nanoTime();
                long[] ackedAtWritable = snapshot(acknowledged);

                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> allVisible(api, ackedAtWritable));
                recovery = Duration.ofNanos(System.nanoTime() - writableAt);
            } finally {
                feeding.set(false);
                feeder.join();
            }
            assertExactlyOnceInTheState(api, acknowledged);
            assertThat(local.output())
                    .as("H2 closed its store at a failed write")
                    .anyMatch(
                            line ->
                                    line.contains("Writing to")
                                            && line.contains(
                                                    ReadOnlySwitchFileSystem.class
                                                            .getSimpleName()));
        }
        // The process is gone: its journal file can be read here.
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + journal, "sa", "")) {
            for (int twin = 0; twin < TWINS; twin++) {
                long n = acknowledged.get(twin);
                assertThat(journal(c, twin))
                        .as("journal rows, distinct seqs, max seq of m" + twin)
                        .containsExactly(n, n, n);
            }
        }
        ChaosResults.record(
                "H2's directory read-only " + FAULT.toSeconds() + " s",
                "dtlab local (embedded H2)",
                recovery,
                "acknowledged " + sum(acknowledged) + ", each applied and journalled once");
    }

    /** Observations without pause: value i is the i-th acknowledged observation of its twin. */
    private static Thread feed(String api, AtomicLongArray acknowledged, AtomicBoolean feeding) {
        Thread feeder =
                new Thread(
                        () -> {
                            while (feeding.get()) {
                                for (int twin = 0; twin < TWINS && feeding.get(); twin++) {
                                    long value = acknowledged.get(twin) + 1;
                                    try {
                                        if (post(
                                                        api,
                                                        "/actor/machine/m" + twin,
                                                        "{\"idx\":0,\"value\":" + value + "}")
                                                == 202) {
                                            acknowledged.set(twin, value);
                                        }
                                    } catch (Exception e) {
                                        // not acknowledged: sent again with the same value
                                    }
                                }
                            }
                        },
                        "feeder");
        feeder.start();
        return feeder;
    }

    private static void assertExactlyOnceInTheState(String api, AtomicLongArray acknowledged) {
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(
                        () -> {
                            for (int twin = 0; twin < TWINS; twin++) {
                                long n = acknowledged.get(twin);
                                JsonNode state = state(api, twin);
                                assertThat(state.path("count").asLong())
                                        .as("count of m" + twin)
                                        .isEqualTo(n);
                                assertThat(state.path("value").asLong())
                                        .as("value of m" + twin)
                                        .isEqualTo(n);
                            }
                        });
    }

    private static long[] journal(Connection c, int twin) throws Exception {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT count(*), count(DISTINCT seq), coalesce(max(seq), 0) FROM"
                                + " dtlab_journal WHERE path = ?")) {
            ps.setString(1, "machine/m" + twin);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
        }
    }

    private static boolean allVisible(String api, long[] acked) {
        for (int twin = 0; twin < TWINS; twin++) {
            if (visibleCount(api, twin) < acked[twin]) {
                return false;
            }
        }
        return true;
    }

    private static long visibleCount(String api, int twin) {
        try {
            return state(api, twin).path("count").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int reads(String api) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(api + "/actor/machine/m0?format=object"))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static JsonNode state(String api, int twin) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                api + "/actor/machine/m" + twin + "?format=object"))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200
                ? Json.mapper().readTree(r.body()).path("state")
                : Json.mapper().createObjectNode();
    }

    private static int post(String api, String path, String json) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(api + path))
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static long[] snapshot(AtomicLongArray a) {
        long[] copy = new long[a.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = a.get(i);
        }
        return copy;
    }

    private static long sum(AtomicLongArray a) {
        long sum = 0;
        for (int i = 0; i < a.length(); i++) {
            sum += a.get(i);
        }
        return sum;
    }
}
