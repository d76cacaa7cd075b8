package org.dtlab.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.launcher.DtlabHome;
import org.dtlab.model.json.Json;
import org.dtlab.query.QueryService;
import org.dtlab.query.config.QueryServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.dtlab.launcher.cluster.ClusterJobs.allTasksRunning;

/**
 * The twin job on a real multi-process Flink cluster (one JobManager, three TaskManagers, each its
 * own JVM, started by the code behind {@code dtlab cluster start}; the job submitted as {@code
 * flink run} submits it), with a real Kafka broker, PostgreSQL and the query service. Observations
 * flow in over HTTP without pause; one TaskManager running part of the job is killed with SIGKILL,
 * then (with {@code dtlab cluster supervise}'s supervisor running) two TaskManagers one after the
 * other, then the JobManager. Then: the job recovers by itself on the two survivors, every
 * observation acknowledged with 202 is in the journal and the state exactly once, and the API
 * answered every read during the outage. The recovery time is measured and written to {@code
 * target/cluster-recovery.json}.
 */
class ClusterFaultToleranceITCase {

    private static final ObjectMapper JSON = Json.mapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private static final int TWINS = 6;
    private static final int PARALLELISM = 3;

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    private static final String MACHINES = "/actor/plant/p1/machine/m";

    @Test
    void theJobSurvivesTheLossOfATaskManager(@TempDir Path dir) throws Exception {
        TestDatabase db = TestDatabase.postgres();
        Path home = DtlabHome.locate();
        Path jar = DtlabHome.jobJar(home);
        assertThat(jar)
                .as(
                        "the job jar (built by 'mvn package' of the job module, before this"
                                + " module's tests)")
                .isRegularFile();
        StandaloneCluster cluster =
                new StandaloneCluster(new ClusterDirectory(dir), FlinkRuntime.of(home));
        AtomicBoolean feeding = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        Thread supervising = null;
        try (QueryService service =
                QueryService.start(
                        QueryServiceConfig.fromArgs(
                                new String[] {
                                    "--port",
                                    "0",
                                    "--jdbc.url",
                                    db.url(),
                                    "--jdbc.user",
                                    db.user(),
                                    "--jdbc.password",
                                    db.password(),
                                    "--kafka.bootstrap",
                                    KAFKA.bootstrapServers()
                                },
                                Map.of()))) {
            String api = "http://127.0.0.1:" + service.port() + "/dtlab-alligator";
            FlinkRest rest =
                    cluster.start(
                            new ClusterSettings(
                                    3,
                                    2,
                                    "1024m",
                                    0,
                                    Map.of(
                                            "execution.checkpointing.interval", "2 s",
                                            "execution.checkpointing.min-pause", "500 ms")),
                            System.out::println);
            assertThat(
                            post(
                                            api,
                                            "/type/machine",
                                            "{\"props\":[\"value\",\"count\"],\"operators\":[{\"name\":\"n\","
                                                + "\"implementation\":\"count\",\"input\":[0],\"output\":[1]}]}")
                                    .statusCode())
                    .isEqualTo(201);
            // The machines' plant sums their last values: a roll-up across the TaskManagers' key
            // groups.
            assertThat(
                            post(
                                            api,
                                            "/type/plant",
                                            "{\"props\":[\"total\",\"machines\"],\"children\":[\"machine\"],"
                                                + "\"rollups\":[{\"name\":\"total\",\"child\":\"machine\",\"property\":\"value\",\"agg\":\"sum\",\"output\":[0]},"
                                                + "{\"name\":\"machines\",\"child\":\"machine\",\"property\":\"value\",\"agg\":\"count\",\"output\":[1]}]}")
                                    .statusCode())
                    .isEqualTo(201);

            String jobId =
                    new JobSubmitter(cluster.directory(), cluster.runtime())
                            .submit(
                                    jar,
                                    PARALLELISM,
                                    null,
                                    List.of(
                                            "--kafka.bootstrap",
                                            KAFKA.bootstrapServers(),
                                            "--jdbc.url",
                                            db.url(),
                                            "--jdbc.user",
                                            db.user(),
                                            "--jdbc.password",
                                            db.password(),
                                            "--snapshot-interval-ms",
                                            "100",
                                            // Event time moves on once the feeder stops, so the
                                            // plant applies its last reports.
                                            "--event-time.idle-advance-ms",
                                            "1000"));
            await().atMost(Duration.ofMinutes(2)).until(() -> allTasksRunning(rest, jobId));

            // Observations without pause: value i is the i-th acknowledged observation of its twin.
            AtomicLongArray acknowledged = new AtomicLongArray(TWINS);
            threads.add(
                    start(
                            "feeder",
                            () -> {
                                for (long i = 1; feeding.get(); i++) {
                                    for (int twin = 0; twin < TWINS && feeding.get(); twin++) {
                                        long value = acknowledged.get(twin) + 1;
                                        if (post(
                                                                api,
                                                                MACHINES + twin,
                                                                "{\"idx\":0,\"value\":"
                                                                        + value
                                                                        + "}")
                                                        .statusCode()
                                                == 202) {
                                            acknowledged.set(twin, value);
                                        }
                                    }
                                }
                            }));
            // Reads without pause, all through the outage: every one must be answered.
            ConcurrentLinkedQueue<String> failedReads = new ConcurrentLinkedQueue<>();
            AtomicLong reads = new AtomicLong();
            threads.add(
                    start(
                            "reader",
                            () -> {
                                while (feeding.get()) {
                                    try {
                                        int status = get(api, MACHINES + "0").statusCode();
                                        if (status != 200
                                                && status
                                                        != 404) { // 404 only until m0's first state
                                            // is written
                                            failedReads.add("HTTP " + status);
                                        }
                                    } catch (Exception e) {
                                        failedReads.add(e.toString());
                                    }
                                    reads.incrementAndGet();
                                }
                            }));

            // A checkpoint to recover from, and a state the API serves.
            await().atMost(Duration.ofMinutes(1))
                    .until(
                            () ->
                                    rest.checkpoints(jobId).path("counts").path("completed").asInt()
                                                    >= 2
                                            && visibleCount(api) > 50);
            String victim = busyTaskManager(rest);
            long ackedAtKill = acknowledged.get(0);
            long killedAt = System.nanoTime();
            cluster.kill(victim);
            System.out.println(
                    "killed "
                            + victim
                            + " with SIGKILL; m0 had "
                            + ackedAtKill
                            + " acknowledged observations");

            // (a) Recovery without help: the job leaves RUNNING, comes back with every task
            // running, restored from a checkpoint, and new observations show in the state again.
            await().atMost(Duration.ofMinutes(1)).until(() -> !allTasksRunning(rest, jobId));
            long failoverAt = System.nanoTime();
            await().atMost(Duration.ofMinutes(3)).until(() -> allTasksRunning(rest, jobId));
            long runningAt = System.nanoTime();
            await().atMost(Duration.ofMinutes(2)).until(() -> visibleCount(api) > ackedAtKill);
            long freshAt = System.nanoTime();
            assertThat(rest.checkpoints(jobId).path("latest").path("restored").path("id").asLong())
                    .as("the job restored from a checkpoint")
                    .isPositive();
            assertThat(rest.overview().path("taskmanagers").asInt())
                    .as("TaskManagers left")
                    .isEqualTo(2);

            // (a') The JobManager SIGKILLed with the supervisor running (there is no Flink HA
            // here): it starts the JobManager and the lost TaskManager again and resubmits the job
            // from its newest retained checkpoint; new observations show again.
            long afterTaskManager = acknowledged.get(0) + 50;
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    acknowledged.get(0) >= afterTaskManager
                                            && rest.checkpoints(jobId)
                                                            .path("counts")
                                                            .path("completed")
                                                            .asInt()
                                                    >= 4);
            ClusterSupervisor supervisor =
                    new ClusterSupervisor(
                            cluster,
                            new JobSubmitter(cluster.directory(), cluster.runtime()),
                            line -> System.out.println("supervisor: " + line));
            supervising = start("supervisor", () -> supervisor.run(Duration.ofMillis(500)));
            await().atMost(Duration.ofMinutes(3))
                    .until(
                            () ->
                                    rest.overview().path("taskmanagers").asInt() == 3
                                            && allTasksRunning(rest, jobId));

            // (a'') Two TaskManagers running the job SIGKILLed one after the other, the second
            // while the job is still recovering from the first: the one left has too few slots for
            // the job, so it runs again only once the supervisor has started both again.
            List<String> busy = busyTaskManagers(rest);
            assertThat(busy).as("TaskManagers running the job").hasSizeGreaterThanOrEqualTo(2);
            long ackedAtDoubleKill = acknowledged.get(0);
            long doubleKilledAt = System.nanoTime();
            cluster.kill(busy.get(0));
            await().atMost(Duration.ofMinutes(1)).until(() -> !allTasksRunning(rest, jobId));
            cluster.kill(busy.get(1));
            System.out.println(
                    "killed " + busy.get(0) + ", then " + busy.get(1) + ", with SIGKILL");
            await().atMost(Duration.ofMinutes(3))
                    .until(
                            () ->
                                    rest.overview().path("taskmanagers").asInt() == 3
                                            && allTasksRunning(rest, jobId));
            long doubleRunningAt = System.nanoTime();
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> visibleCount(api) > ackedAtDoubleKill);
            long doubleFreshAt = System.nanoTime();

            long afterDoubleKill = acknowledged.get(0) + 50;
            int checkpointsAfterDoubleKill =
                    rest.checkpoints(jobId).path("counts").path("completed").asInt();
            await().atMost(Duration.ofMinutes(2))
                    .until(
                            () ->
                                    acknowledged.get(0) >= afterDoubleKill
                                            && rest.checkpoints(jobId)
                                                            .path("counts")
                                                            .path("completed")
                                                            .asInt()
                                                    >= checkpointsAfterDoubleKill + 2);
            long ackedAtJobManagerKill = acknowledged.get(0);
            long jobManagerKilledAt = System.nanoTime();
            cluster.kill(ClusterProcess.JOB_MANAGER);
            await().atMost(Duration.ofMinutes(3))
                    .until(
                            () ->
                                    !Submission.load(cluster.directory())
                                            .orElseThrow()
                                            .jobId()
                                            .equals(jobId));
            String resubmitted = Submission.load(cluster.directory()).orElseThrow().jobId();
            await().atMost(Duration.ofMinutes(3)).until(() -> allTasksRunning(rest, resubmitted));
            long jobManagerRunningAt = System.nanoTime();
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> visibleCount(api) > ackedAtJobManagerKill);
            long jobManagerFreshAt = System.nanoTime();

            // More observations after the recoveries, then stop feeding.
            long target = acknowledged.get(0) + 100;
            await().atMost(Duration.ofMinutes(2)).until(() -> acknowledged.get(0) >= target);
            feeding.set(false);
            for (Thread thread : threads) {
                thread.join(30_000);
            }

            // (b) Every acknowledged observation exactly once: the count operator counted each one
            // once, the last value is the last one sent, the journal holds 1..N without gaps or
            // repeats.
            for (int twin = 0; twin < TWINS; twin++) {
                long expected = acknowledged.get(twin);
                String path = MACHINES + twin + "?format=object";
                await().atMost(Duration.ofMinutes(1))
                        .untilAsserted(
                                () -> {
                                    JsonNode state =
                                            JSON.readTree(get(api, path).body()).path("state");
                                    assertThat(state.path("count").asLong())
                                            .as("count of " + path)
                                            .isEqualTo(expected);
                                    assertThat(state.path("value").asLong())
                                            .as("value of " + path)
                                            .isEqualTo(expected);
                                });
            }
            Map<String, long[]> journal = journal(db);
            for (int twin = 0; twin < TWINS; twin++) {
                long n = acknowledged.get(twin);
                assertThat(journal.get("plant/p1/machine/m" + twin))
                        .as(
                                "journal of m"
                                        + twin
                                        + ": rows, min/max seq, distinct values, max value")
                        .containsExactly(n, 1, n, n, n);
            }

            // (b') The plant's roll-up counted every machine's last value once, through the
            // restore.
            long total = sum(acknowledged);
            await().atMost(Duration.ofMinutes(1))
                    .untilAsserted(
                            () -> {
                                JsonNode plant =
                                        JSON.readTree(
                                                        get(api, "/actor/plant/p1?format=object")
                                                                .body())
                                                .path("state");
                                assertThat(plant.path("machines").asLong())
                                        .as("machines counted by the plant")
                                        .isEqualTo(TWINS);
                                assertThat(plant.path("total").asLong())
                                        .as("sum of the machines' last values")
                                        .isEqualTo(total);
                            });

            // (c) The API answered every read, during the outage too.
            assertThat(failedReads).as("failed reads out of " + reads.get()).isEmpty();

            // (d) The recovery time, reported.
            Map<String, Object> report = new HashMap<>();
            report.put("killed", victim);
            report.put("failoverDetectedSeconds", seconds(failoverAt - killedAt));
            report.put("jobRunningAgainSeconds", seconds(runningAt - killedAt));
            report.put("freshStateSeconds", seconds(freshAt - killedAt));
            report.put(
                    "twoTaskManagersJobRunningAgainSeconds",
                    seconds(doubleRunningAt - doubleKilledAt));
            report.put("twoTaskManagersFreshStateSeconds", seconds(doubleFreshAt - doubleKilledAt));
            report.put(
                    "jobManagerJobRunningAgainSeconds",
                    seconds(jobManagerRunningAt - jobManagerKilledAt));
            report.put(
                    "jobManagerFreshStateSeconds", seconds(jobManagerFreshAt - jobManagerKilledAt));
            report.put("reads", reads.get());
            report.put("acknowledgedObservations", sum(acknowledged));
            String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
            System.out.println(
                    "recovery after SIGKILL of a TaskManager, of two, then of the JobManager: "
                            + json);
            Files.writeString(
                    Path.of("target", "cluster-recovery.json"), json, StandardCharsets.UTF_8);
        } finally {
            feeding.set(false);
            if (supervising != null) {
                supervising.interrupt(); // before the cluster stops, or it would start it again
                supervising.join(60_000);
            }
            cluster.stop();
        }
    }

    /** The TaskManagers that run subtasks of the job. */
    private static List<String> busyTaskManagers(FlinkRest rest) throws Exception {
        List<String> busy = new ArrayList<>();
        for (JsonNode tm : rest.taskManagers()) {
            if (tm.path("freeSlots").asInt() < tm.path("slotsNumber").asInt()) {
                busy.add(tm.path("id").asText());
            }
        }
        return busy;
    }

    /** A TaskManager that runs subtasks of the job (all do, with slots spread evenly). */
    private static String busyTaskManager(FlinkRest rest) throws Exception {
        for (JsonNode tm : rest.taskManagers()) {
            if (tm.path("freeSlots").asInt() < tm.path("slotsNumber").asInt()
                    && !tm.path("id").asText().equals("taskmanager-1")) {
                return tm.path("id").asText();
            }
        }
        throw new AssertionError(
                "no busy TaskManager besides taskmanager-1: " + rest.taskManagers());
    }

    private static long visibleCount(String api) throws Exception {
        HttpResponse<String> response = get(api, MACHINES + "0?format=object");
        return response.statusCode() == 200
                ? JSON.readTree(response.body()).path("state").path("count").asLong()
                : 0;
    }

    private static Map<String, long[]> journal(TestDatabase db) throws Exception {
        Map<String, long[]> rows = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT path, COUNT(*), MIN(seq), MAX(seq), COUNT(DISTINCT val),"
                                        + " MAX(val) FROM dtlab_journal GROUP BY path")) {
            while (r.next()) {
                rows.put(
                        r.getString(1),
                        new long[] {
                            r.getLong(2),
                            r.getLong(3),
                            r.getLong(4),
                            r.getLong(5),
                            (long) r.getDouble(6)
                        });
            }
        }
        return rows;
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e7) / 100.0;
    }

    private static long sum(AtomicLongArray values) {
        long total = 0;
        for (int i = 0; i < values.length(); i++) {
            total += values.get(i);
        }
        return total;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Thread start(String name, Body body) {
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                body.run();
                            } catch (Exception e) {
                                throw new IllegalStateException(name + " failed", e);
                            }
                        },
                        name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static HttpResponse<String> get(String api, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String api, String path, String json)
            throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
