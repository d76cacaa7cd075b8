package org.dtlab.launcher.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.dtlab.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Chaos: {@code dtlab local --jdbc.url} on a PostgreSQL of its own, observations flowing without
 * pause, and PostgreSQL stopped for 20 s (a fast shutdown, as {@code pg_ctlcluster 15 main stop}),
 * then started. The job must come back by itself — restarted from its checkpoint by Flink, its
 * TaskExecutor alive — and every acknowledged observation must be in the state and the journal
 * exactly once. Then the job is cancelled from the Flink REST API, which ends it for good: {@code
 * dtlab local} must submit it again by itself. Recovery times go to target/chaos-results.txt.
 */
class PostgresOutageITCase {

    private static final Duration OUTAGE = Duration.ofSeconds(20);
    private static final int TWINS = 4;
    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    @Test
    void theJobHealsAfterPostgresWasStopped(@TempDir Path data) throws Exception {
        AtomicBoolean feeding = new AtomicBoolean(true);
        AtomicLongArray acknowledged = new AtomicLongArray(TWINS);
        try (PrivatePostgres pg = PrivatePostgres.start();
                LocalProcess local =
                        LocalProcess.start(
                                data, "--jdbc.url", pg.url(), "--jdbc.user", pg.user())) {
            String api = local.awaitReady();
            assertThat(
                            post(
                                    api,
                                    "/type/machine",
                                    "{\"props\":[\"value\",\"count\"],\"operators\":[{\"name\":\"n\","
                                        + "\"implementation\":\"count\",\"input\":[0],\"output\":[1]}]}"))
                    .isEqualTo(201);
            Thread feeder = feed(api, acknowledged, feeding);
            String firstJob =
                    await().atMost(Duration.ofMinutes(1))
                            .until(local::runningJob, Optional::isPresent)
                            .get();
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    local.completedCheckpoints(firstJob) >= 1
                                            && visibleCount(api, 0) > 20);

            pg.stopServer();
            System.out.println(
                    "PostgreSQL stopped; m0 had "
                            + acknowledged.get(0)
                            + " acknowledged observations");
            Thread.sleep(
                    OUTAGE.toMillis()); // the outage itself: observations keep flowing meanwhile
            assertThat(local.runningJob())
                    .as("a job with every task running while its database is down")
                    .isEmpty();
            pg.startServer();
            long startedAt = System.nanoTime();
            long[] ackedAtStart = snapshot(acknowledged);

            // Recovered: the job runs, and everything acknowledged before PostgreSQL was back is
            // visible.
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> local.runningJob().isPresent() && allVisible(api, ackedAtStart));
            Duration recovery = Duration.ofNanos(System.nanoTime() - startedAt);
            assertThat(local.output())
                    .as("the TaskExecutor stays alive")
                    .noneMatch(
                            line ->
                                    line.contains("exception in exception handler")
                                            || line.contains("TaskManager #0 failed"));
            feeding.set(false);
            feeder.join();
            assertExactlyOnce(api, pg, acknowledged);
            ChaosResults.record(
                    "PostgreSQL stopped " + OUTAGE.toSeconds() + " s, then started",
                    "dtlab local",
                    recovery,
                    "acknowledged " + sum(acknowledged) + ", each applied once");

            // A job that ended for good (here: cancelled in the Flink UI) is submitted again.
            String job = local.runningJob().orElseThrow();
            local.cancel(job);
            long cancelledAt = System.nanoTime();
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> local.runningJob().filter(id -> !id.equals(job)).isPresent());
            Duration resubmitted = Duration.ofNanos(System.nanoTime() - cancelledAt);
            long ackedAtCancel = acknowledged.get(0);
            feeding.set(true);
            feeder = feed(api, acknowledged, feeding);
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> acknowledged.get(0) >= ackedAtCancel + 10);
            feeding.set(false);
            feeder.join();
            assertExactlyOnce(api, pg, acknowledged);
            assertThat(local.output()).anyMatch(line -> line.contains("the twin job ended"));
            ChaosResults.record(
                    "twin job cancelled (ended for good)",
                    "dtlab local",
                    resubmitted,
                    "resubmitted from the newest checkpoint; acknowledged "
                            + sum(acknowledged)
                            + ", each applied once");
        } finally {
            feeding.set(false);
        }
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

    private static void assertExactlyOnce(
            String api, PrivatePostgres pg, AtomicLongArray acknowledged) {
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
                                assertThat(journal(pg, twin))
                                        .as("journal rows, distinct seqs, max seq of m" + twin)
                                        .containsExactly(n, n, n);
                            }
                        });
    }

    private static long[] journal(PrivatePostgres pg, int twin) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), "");
                PreparedStatement ps =
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
