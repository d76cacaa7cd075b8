package org.dtlab.launcher.local;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.util.ExceptionUtils;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps the twin job of {@code dtlab local} running: when it ends for good — failed after its
 * restart strategy gave up, or cancelled from the Flink UI — it is submitted again, from the newest
 * checkpoint, after a growing pause (5 s, doubling up to 2 min). Inside its restart strategy Flink
 * restarts the job itself; this covers what that strategy cannot, in a process that has nothing
 * else to run than this one job.
 */
final class JobSupervisor implements AutoCloseable {

    /** Submits the job (from the newest checkpoint) and returns once it runs. */
    @FunctionalInterface
    interface Launcher {
        JobClient launch() throws Exception;
    }

    private static final Duration FIRST_PAUSE = Duration.ofSeconds(5);
    private static final Duration LONGEST_PAUSE = Duration.ofMinutes(2);

    /** A job that ran this long before it ended starts again after the first pause. */
    private static final Duration HEALTHY_RUN = Duration.ofMinutes(5);

    private final Launcher launcher;
    private final Consumer<String> log;
    private final Thread thread;
    private volatile JobClient job;
    private volatile boolean closing;

    private JobSupervisor(Launcher launcher, JobClient first, Consumer<String> log) {
        this.launcher = launcher;
        this.job = first;
        this.log = log;
        this.thread = new Thread(this::superviseQuietly, "dtlab-job-supervisor");
        this.thread.setDaemon(true);
    }

    /** Watches {@code first}, the running job; {@code launcher} starts a replacement. */
    static JobSupervisor start(JobClient first, Launcher launcher, Consumer<String> log) {
        JobSupervisor supervisor = new JobSupervisor(launcher, first, log);
        supervisor.thread.start();
        return supervisor;
    }

    JobClient job() {
        return job;
    }

    private void superviseQuietly() {
        try {
            supervise();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing
        }
    }

    private void supervise() throws InterruptedException {
        Duration pause = FIRST_PAUSE;
        long started = System.nanoTime();
        while (!closing) {
            String ending = awaitEnd(job);
            if (closing) {
                return;
            }
            if (System.nanoTime() - started > HEALTHY_RUN.toNanos()) {
                pause = FIRST_PAUSE;
            }
            log.accept(
                    "the twin job ended ("
                            + ending
                            + "): starting it again from the newest checkpoint in "
                            + pause.toSeconds()
                            + " s");
            while (!closing) {
                Thread.sleep(
                        pause.toMillis()); // the backoff itself, not a wait for something to happen
                pause =
                        pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
                                ? LONGEST_PAUSE
                                : pause.multipliedBy(2);
                try {
                    job = launcher.launch();
                    started = System.nanoTime();
                    log.accept("the twin job runs again (" + job.getJobID() + ")");
                    break;
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    log.accept(
                            "the twin job did not start ("
                                    + rootMessage(e)
                                    + "): trying again in "
                                    + pause.toSeconds()
                                    + " s");
                }
            }
        }
    }

    /** Blocks until {@code job} is over and says how it ended. */
    private static String awaitEnd(JobClient job) throws InterruptedException {
        try {
            job.getJobExecutionResult().get();
            return "finished";
        } catch (ExecutionException e) {
            return rootMessage(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = ExceptionUtils.stripExecutionException(e);
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /** Stops watching, then cancels the current job (its checkpoints are kept). */
    @Override
    public void close() throws Exception {
        closing = true;
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(30));
        job.cancel().get(30, TimeUnit.SECONDS);
    }
}
