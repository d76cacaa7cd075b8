package org.dtlab.launcher.cluster;

import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.launcher.DtlabHome;
import org.dtlab.launcher.testutils.ChaosResults;
import org.dtlab.launcher.testutils.CountingMachines;
import org.dtlab.launcher.testutils.PrivatePostgres;
import org.dtlab.query.QueryService;
import org.dtlab.query.config.QueryServiceConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.dtlab.launcher.cluster.ClusterJobs.allTasksRunning;

/**
 * Chaos on the cluster set-up: the twin job on a real multi-process Flink cluster (one JobManager,
 * two TaskManagers of one slot each, started by the code behind {@code dtlab cluster start}, the
 * job submitted as {@code flink run} does), a real Kafka broker, the query service, and a
 * PostgreSQL server of the test's own. Observations flow in over HTTP without pause while twin m0's
 * state and {@code /fitness} are read without pause; PostgreSQL is stopped for 30 s (a fast
 * shutdown, as {@code pg_ctlcluster 15 main stop}), then started. Then: the job runs again by
 * itself — the same job, restarted by Flink from a checkpoint, with both TaskManagers alive and
 * nobody resubmitting it; every observation acknowledged with 202 is in the state and the journal
 * exactly once; and every read and {@code /fitness} call was answered within {@link #ANSWER_BOUND}
 * — with the state, or with a 503 naming the journal database. The recovery time goes to {@code
 * target/chaos-results.txt}.
 */
class ClusterPostgresOutageITCase {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final int TWINS = 4;
    private static final int PARALLELISM = 2;

    /**
     * The longest any read or {@code /fitness} may take, the database down or not: the query
     * service's connect timeout (2 s) and {@code /fitness}'s deadline (1.5 s), with room for a
     * 2-core machine busy with a Flink cluster.
     */
    private static final Duration ANSWER_BOUND = Duration.ofSeconds(5);

    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @Test
    void theJobHealsOnTheClusterAfterPostgresWasStopped(@TempDir Path dir) throws Exception {
        Path home = DtlabHome.locate();
        Path jar = DtlabHome.jobJar(home);
        assertThat(jar)
                .as(
                        "the job jar (built by 'mvn package' of the job module, before this"
                                + " module's tests)")
                .isRegularFile();
        StandaloneCluster cluster =
                new StandaloneCluster(new ClusterDirectory(dir), FlinkRuntime.of(home));
        try (PrivatePostgres pg = PrivatePostgres.start();
                QueryService service =
                        QueryService.start(
                                QueryServiceConfig.fromArgs(
                                        new String[] {
                                            "--port",
                                            "0",
                                            "--jdbc.url",
                                            pg.url(),
                                            "--jdbc.user",
                                            pg.user(),
                                            "--kafka.bootstrap",
                                            KAFKA.bootstrapServers()
                                        },
                                        Map.of()))) {
            String root = "http://127.0.0.1:" + service.port();
            CountingMachines machines = new CountingMachines(root + "/dtlab-alligator", TWINS);
            AtomicBoolean probing = new AtomicBoolean(true);
            Thread prober = null;
            try {
                FlinkRest rest =
                        cluster.start(
                                new ClusterSettings(
                                        2,
                                        1,
                                        "1024m",
                                        0,
                                        Map.of(
                                                "execution.checkpointing.interval", "2 s",
                                                "execution.checkpointing.min-pause", "500 ms")),
                                System.out::println);
                assertThat(machines.defineType()).isEqualTo(201);
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
                                                pg.url(),
                                                "--jdbc.user",
                                                pg.user(),
                                                "--snapshot-interval-ms",
                                                "100"));
                await().atMost(Duration.ofMinutes(2)).until(() -> allTasksRunning(rest, jobId));

                // Reads of m0 and /fitness without pause, before, during and after the outage: each
                // must be answered in time, with the state or a 503 that names the database.
                Probes probes = new Probes(root);
                prober =
                        new Thread(
                                () -> {
                                    while (probing.get()) {
                                        probes.probe("/dtlab-alligator/actor/machine/m0");
                                        probes.probe("/fitness");
                                    }
                                },
                                "prober");
                prober.setDaemon(true);
                prober.start();
                machines.startFeeding();

                // A checkpoint to restart from, and state the API serves.
                await().atMost(Duration.ofMinutes(2))
                        .until(
                                () ->
                                        rest.checkpoints(jobId)
                                                                .path("counts")
                                                                .path("completed")
                                                                .asInt()
                                                        >= 2
                                                && machines.visibleCount(0) > 20);

                pg.stopServer();
                long stoppedAt = System.nanoTime();
                long ackedAtStop = machines.acknowledged(0);
                System.out.println(
                        "PostgreSQL stopped; m0 had "
                                + machines.acknowledged(0)
                                + " acknowledged observations");
                // The job notices: its journal writes fail, and Flink restarts it.
                await().atMost(OUTAGE).until(() -> !allTasksRunning(rest, jobId));
                Duration failedAfter = Duration.ofNanos(System.nanoTime() - stoppedAt);
                // The rest of the outage: observations keep flowing, and /fitness names the
                // database
                // as what is wrong, throughout.
                Duration remaining = OUTAGE.minus(failedAfter);
                await().during(remaining)
                        .atMost(remaining.plusSeconds(10))
                        .until(() -> probes.fitness(ANSWER_BOUND).contains("the journal database"));
                pg.startServer();
                long startedAt = System.nanoTime();
                long[] ackedAtStart = machines.acknowledgedNow();

                // Recovered: the same job runs again, and everything acknowledged before PostgreSQL
                // was back is in the twins' state.
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> allTasksRunning(rest, jobId));
                Duration running = Duration.ofNanos(System.nanoTime() - startedAt);
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> machines.allVisible(ackedAtStart));
                Duration recovery = Duration.ofNanos(System.nanoTime() - startedAt);
                assertThat(
                                rest.checkpoints(jobId)
                                        .path("latest")
                                        .path("restored")
                                        .path("id")
                                        .asLong())
                        .as("the job restarted from a checkpoint")
                        .isPositive();
                assertThat(rest.overview().path("taskmanagers").asInt())
                        .as("TaskManagers alive after the outage")
                        .isEqualTo(2);
                assertThat(Submission.load(cluster.directory()).orElseThrow().jobId())
                        .as("the job that runs is the one submitted: nobody resubmitted it")
                        .isEqualTo(jobId);
                assertThat(ackedAtStart[0])
                        .as(
                                "m0's observations acknowledged once PostgreSQL was down, and once"
                                        + " back")
                        .isGreaterThan(ackedAtStop);

                // More observations after the recovery, then each exactly once in state and
                // journal.
                long target = machines.acknowledged(0) + 50;
                await().atMost(Duration.ofMinutes(1))
                        .until(() -> machines.acknowledged(0) >= target);
                machines.stopFeeding();
                probing.set(false);
                prober.join(30_000);
                machines.assertExactlyOnce(
                        () -> DriverManager.getConnection(pg.url(), pg.user(), ""));

                assertThat(probes.failures).as("reads and /fitness answered wrongly").isEmpty();
                assertThat(probes.databaseNamed.get())
                        .as("503s naming the journal database while it was down")
                        .isPositive();
                assertThat(Duration.ofNanos(probes.slowest.get()))
                        .as("the slowest of " + probes.count.get() + " reads and /fitness calls")
                        .isLessThan(ANSWER_BOUND);

                ChaosResults.record(
                        "PostgreSQL stopped " + OUTAGE.toSeconds() + " s, then started",
                        "dtlab cluster (1 JobManager, 2 TaskManagers)",
                        recovery,
                        "job failed "
                                + seconds(failedAfter)
                                + " s after the stop, RUNNING again "
                                + seconds(running)
                                + " s after the start (same job, Flink's restart strategy);"
                                + " acknowledged "
                                + machines.acknowledgedInAll()
                                + ", each applied once; "
                                + probes.count.get()
                                + " reads and /fitness calls, slowest "
                                + seconds(Duration.ofNanos(probes.slowest.get()))
                                + " s, "
                                + probes.databaseNamed.get()
                                + " of them 503 naming the journal database");
            } finally {
                probing.set(false);
                machines.stopFeeding();
                if (prober != null) {
                    prober.join(30_000);
                }
                cluster.stop();
            }
        }
    }

    private static String seconds(Duration d) {
        return String.format("%.1f", d.toMillis() / 1000.0);
    }

    /** GETs against the query service, timed, with what was wrong with each bad answer. */
    private static final class Probes {

        final String root;
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong slowest = new AtomicLong();
        final AtomicLong count = new AtomicLong();
        final AtomicLong databaseNamed = new AtomicLong();

        Probes(String root) {
            this.root = root;
        }

        /**
         * One GET: a 200 (or, for m0, a 404 before its first state is written), or a 503 naming the
         * journal database; anything else, and a timeout, is a failure.
         */
        void probe(String path) {
            long start = System.nanoTime();
            try {
                HttpResponse<String> r = get(path, Duration.ofSeconds(10));
                long took = System.nanoTime() - start;
                slowest.accumulateAndGet(took, Math::max);
                count.incrementAndGet();
                if (r.statusCode() == 503 && r.body().contains("the journal database")) {
                    databaseNamed.incrementAndGet();
                } else if (r.statusCode() != 200 && r.statusCode() != 404) {
                    failures.add(path + ": HTTP " + r.statusCode() + " " + r.body());
                }
            } catch (Exception e) {
                count.incrementAndGet();
                failures.add(
                        path
                                + ": "
                                + e
                                + " after "
                                + (System.nanoTime() - start) / 1_000_000
                                + " ms");
            }
        }

        /** The body of {@code /fitness}, which must answer within {@code bound}. */
        String fitness(Duration bound) throws Exception {
            return get("/fitness", bound).body();
        }

        private HttpResponse<String> get(String path, Duration timeout) throws Exception {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(root + path)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
