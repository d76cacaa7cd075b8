package org.dtlab.launcher.chaos;

import org.dtlab.launcher.testutils.ChaosResults;
import org.dtlab.launcher.testutils.CountingMachines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    @Test
    void theJournalHealsAfterItsDirectoryWasReadOnly(@TempDir Path data) throws Exception {
        Path readOnly = data.resolve("journal-is-read-only");
        Path journal = data.resolve("journal").resolve("dtlab");
        Duration recovery;
        CountingMachines machines;
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
            machines = new CountingMachines(local.awaitReady(), TWINS);
            assertThat(machines.defineType()).isEqualTo(201);
            machines.startFeeding();
            try {
                String job =
                        await().atMost(Duration.ofMinutes(1))
                                .until(local::runningJob, Optional::isPresent)
                                .get();
                await().atMost(Duration.ofMinutes(2))
                        .until(
                                () ->
                                        local.completedCheckpoints(job) >= 1
                                                && machines.visibleCount(0) > 20);

                Files.createFile(readOnly);
                System.out.println(
                        "H2's directory read-only; m0 had "
                                + machines.acknowledged(0)
                                + " acknowledged observations");
                Thread.sleep(FAULT.toMillis()); // the fault itself: observations keep flowing
                assertThat(machines.read())
                        .as("a read during the fault answers with the last written state")
                        .isEqualTo(200);
                Files.delete(readOnly);
                long writableAt = System.nanoTime();
                long[] ackedAtWritable = machines.acknowledgedNow();

                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> machines.allVisible(ackedAtWritable));
                recovery = Duration.ofNanos(System.nanoTime() - writableAt);
            } finally {
                machines.stopFeeding();
            }
            machines.assertStateExactlyOnce();
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
            machines.assertJournalExactlyOnce(c);
        }
        ChaosResults.record(
                "H2's directory read-only " + FAULT.toSeconds() + " s",
                "dtlab local (embedded H2)",
                recovery,
                "acknowledged "
                        + machines.acknowledgedInAll()
                        + ", each applied and journalled once");
    }
}
