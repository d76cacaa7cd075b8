package org.dtlab.launcher.backtest;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.dtlab.job.JobConstants;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an assembled back-test job to its end with a progress line on the terminal ({@link
 * BacktestProgress}), refreshed once a second, one line rewritten in place.
 */
final class BacktestExecution {

    /**
     * The finished job.
     *
     * @param result the job's counters
     * @param wallSeconds from submission to the end of the job
     * @param phaseSeconds how long each phase took, as the progress line saw them (to about a
     *     second)
     */
    record FinishedJob(
            JobExecutionResult result, double wallSeconds, Map<String, Double> phaseSeconds) {}

    private final BacktestProgress progress;
    private final BacktestOutput output;
    private final PrintStream terminal;

    BacktestExecution(BacktestProgress progress, BacktestOutput output, PrintStream terminal) {
        this.progress = progress;
        this.output = output;
        this.terminal = terminal;
    }

    /** Runs the job on {@code env}; a failed job's exception is thrown from here. */
    FinishedJob execute(StreamExecutionEnvironment env, String jobName) throws Exception {
        long started = System.nanoTime();
        JobClient job = env.executeAsync(jobName);
        CompletableFuture<JobExecutionResult> done = job.getJobExecutionResult();
        showProgress(job, done, started);
        JobExecutionResult result = done.get();
        double wall = (System.nanoTime() - started) / 1e9;
        return new FinishedJob(result, wall, progress.durations(wall));
    }

    private void showProgress(JobClient job, CompletableFuture<?> done, long started) {
        long bytes = 0;
        int shown = 0;
        while (!done.isDone()) {
            try {
                Map<String, Object> counters = job.getAccumulators().get(5, TimeUnit.SECONDS);
                try {
                    bytes = output.bytes();
                } catch (IOException e) {
                    // a part file renamed while it was measured: the last size stands
                }
                double elapsed = (System.nanoTime() - started) / 1e9;
                String line =
                        "dtlab backtest: " + progress.line(counters(counters, bytes), elapsed);
                // spaces over the rest of a longer previous line
                terminal.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
                shown = line.length();
                terminal.flush();
                done.get(1, TimeUnit.SECONDS); // refresh once a second until the job is done
            } catch (TimeoutException e) {
                // not done yet: refresh
            } catch (Exception e) {
                return; // the job ended while we asked; its result says how
            }
        }
    }

    private static BacktestProgress.Counters counters(Map<String, Object> counters, long bytes) {
        return new BacktestProgress.Counters(
                counter(counters, JobConstants.RECORDS_READ),
                counter(counters, JobConstants.RECORDS_KEPT),
                readingDone(counters),
                counter(counters, JobConstants.MESSAGES_APPLIED),
                counter(counters, JobConstants.EVENTS_EMITTED),
                counter(counters, JobConstants.EVENTS_WRITTEN),
                bytes);
    }

    /** Whether every archive reader that started has read all of its input. */
    private static boolean readingDone(Map<String, Object> counters) {
        long started = counter(counters, JobConstants.READERS_STARTED);
        return started > 0 && counter(counters, JobConstants.READERS_FINISHED) >= started;
    }

    private static long counter(Map<String, Object> counters, String name) {
        return counters.get(name) instanceof Long value ? value : 0;
    }
}
