package org.dtlab.launcher.cluster;

import org.dtlab.launcher.StartupException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Keeps a {@code dtlab cluster} whole without a person: a process that ended (a crash, a SIGKILL)
 * is started again; when that was the JobManager, the last submitted job is submitted again from
 * its newest retained checkpoint. That is what Flink's high availability would do with ZooKeeper or
 * Kubernetes, neither of which a one-machine cluster has (docs/decisions.md).
 */
public final class ClusterSupervisor {

    private final StandaloneCluster cluster;
    private final JobSubmitter submitter;
    private final Consumer<String> log;

    public ClusterSupervisor(
            StandaloneCluster cluster, JobSubmitter submitter, Consumer<String> log) {
        this.cluster = cluster;
        this.submitter = submitter;
        this.log = log;
    }

    /** Checks every {@code interval} until the thread is interrupted. */
    public void run(Duration interval) {
        log.accept(
                "supervising the cluster in "
                        + cluster.directory().root()
                        + " every "
                        + interval.toMillis()
                        + " ms");
        try {
            while (true) {
                try {
                    checkOnce();
                } catch (IOException | StartupException e) {
                    log.accept(e.getMessage() + " (trying again)");
                }
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.accept("supervision ended");
        }
    }

    /**
     * One round: restarts what ended, and resubmits the job if the JobManager was among them.
     *
     * @return whether anything was restarted
     */
    public boolean checkOnce() throws IOException, StartupException, InterruptedException {
        List<ClusterProcess> ended =
                cluster.processes().stream().filter(p -> !p.isAlive()).toList();
        if (ended.isEmpty()) {
            return false;
        }
        long started = System.nanoTime();
        for (ClusterProcess process : ended) {
            log.accept(
                    process.name() + " (pid " + process.pid() + ") has ended: starting it again");
            cluster.restart(process.name());
        }
        if (ended.stream().anyMatch(ClusterProcess::isJobManager)) {
            int taskManagers =
                    (int) cluster.processes().stream().filter(p -> !p.isJobManager()).count();
            cluster.awaitReady(taskManagers);
            resubmit();
        }
        log.accept(
                "recovered in " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
        return true;
    }

    private void resubmit() throws IOException, StartupException, InterruptedException {
        Optional<Submission> last = Submission.load(cluster.directory());
        if (last.isEmpty()) {
            log.accept("no job was submitted to this cluster: nothing to resubmit");
            return;
        }
        Optional<Path> checkpoint =
                newestCheckpoint(cluster.directory().checkpoints().resolve(last.get().jobId()));
        if (checkpoint.isEmpty()) {
            throw new StartupException(
                    "job "
                            + last.get().jobId()
                            + " has no retained checkpoint in "
                            + cluster.directory().checkpoints()
                            + ": resubmit it by hand ('dtlab cluster submit')");
        }
        String jobId = submitter.resubmit(last.get(), checkpoint.get());
        log.accept(
                "job "
                        + last.get().jobId()
                        + " resubmitted as "
                        + jobId
                        + " from "
                        + checkpoint.get());
    }

    /**
     * The complete checkpoint ({@code chk-N} with its {@code _metadata}) with the highest N, if
     * any.
     */
    static Optional<Path> newestCheckpoint(Path jobCheckpoints) throws IOException {
        if (!Files.isDirectory(jobCheckpoints)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jobCheckpoints)) {
            return dirs.filter(d -> d.getFileName().toString().matches("chk-\\d+"))
                    .filter(d -> Files.isRegularFile(d.resolve("_metadata")))
                    .max(
                            Comparator.comparingLong(
                                    d -> Long.parseLong(d.getFileName().toString().substring(4))));
        }
    }
}
