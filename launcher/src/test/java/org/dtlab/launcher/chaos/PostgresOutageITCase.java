package org.dtlab.launcher.chaos;

import org.dtlab.launcher.testutils.ChaosResults;
import org.dtlab.launcher.testutils.CountingMachines;
import org.dtlab.launcher.testutils.PrivatePostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Optional;

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

    @Test
    void theJobHealsAfterPostgresWasStopped(@TempDir Path data) throws Exception {
        try (PrivatePostgres pg = PrivatePostgres.start();
                LocalProcess local =
                        LocalProcess.start(
                                data, "--jdbc.url", pg.url(), "--jdbc.user", pg.user())) {
            CountingMachines.JournalConnection journal =
                    () -> DriverManager.getConnection(pg.url(), pg.user(), "");
            CountingMachines machines = new CountingMachines(local.awaitReady(), TWINS);
            assertThat(machines.defineType()).isEqualTo(201);
            machines.startFeeding();
            try {
                String firstJob =
                        await().atMost(Duration.ofMinutes(1))
                                .until(local::runningJob, Optional::isPresent)
                                .get();
                await().atMost(Duration.ofMinutes(2))
                        .until(
                                () ->
                                        local.completedCheckpoints(firstJob) >= 1
                                                && machines.visibleCount(0) > 20);

                pg.stopServer();
                System.out.println(
                        "PostgreSQL stopped; m0 had "
                                + machines.acknowledged(0)
                                + " acknowledged observations");
                // The outage itself: observations keep flowing meanwhile.
                Thread.sleep(OUTAGE.toMillis());
                assertThat(local.runningJob())
                        .as("a job with every task running while its database is down")
                        .isEmpty();
                pg.startServer();
                long startedAt = System.nanoTime();
                long[] ackedAtStart = machines.acknowledgedNow();

                // Recovered: the job runs, and everything acknowledged before PostgreSQL was back
                // is
                // visible.
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(250))
                        .until(
                                () ->
                                        local.runningJob().isPresent()
                                                && machines.allVisible(ackedAtStart));
                Duration recovery = Duration.ofNanos(System.nanoTime() - startedAt);
                assertThat(local.output())
                        .as("the TaskExecutor stays alive")
                        .noneMatch(
                                line ->
                                        line.contains("exception in exception handler")
                                                || line.contains("TaskManager #0 failed"));
                machines.stopFeeding();
                machines.assertExactlyOnce(journal);
                ChaosResults.record(
                        "PostgreSQL stopped " + OUTAGE.toSeconds() + " s, then started",
                        "dtlab local",
                        recovery,
                        "acknowledged " + machines.acknowledgedInAll() + ", each applied once");

                // A job that ended for good (here: cancelled in the Flink UI) is submitted again.
                String job = local.runningJob().orElseThrow();
                local.cancel(job);
                long cancelledAt = System.nanoTime();
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> local.runningJob().filter(id -> !id.equals(job)).isPresent());
                Duration resubmitted = Duration.ofNanos(System.nanoTime() - cancelledAt);
                long ackedAtCancel = machines.acknowledged(0);
                machines.startFeeding();
                await().atMost(Duration.ofMinutes(1))
                        .until(() -> machines.acknowledged(0) >= ackedAtCancel + 10);
                machines.stopFeeding();
                machines.assertExactlyOnce(journal);
                assertThat(local.output()).anyMatch(line -> line.contains("the twin job ended"));
                ChaosResults.record(
                        "twin job cancelled (ended for good)",
                        "dtlab local",
                        resubmitted,
                        "resubmitted from the newest checkpoint; acknowledged "
                                + machines.acknowledgedInAll()
                                + ", each applied once");
            } finally {
                machines.stopFeeding();
            }
        }
    }
}
