package org.dtlab.job.testutils;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

import java.util.concurrent.ExecutionException;

/** Stopping test jobs so that a job which failed on its own says why. */
public final class Jobs {

    private Jobs() {}

    /**
     * Cancels {@code job} and waits until it is cancelled. A job that already failed is reported
     * with its own failure as the cause (a bare {@code cancel()} would only say "not canceled, but
     * instead FAILED").
     */
    public static void cancel(JobClient job) throws Exception {
        assertNotFailed(job);
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            return;
        }
        try {
            job.cancel().get();
        } catch (ExecutionException e) {
            if (job.getJobStatus().get() == JobStatus.FAILED) {
                throw new AssertionError(
                        "job " + job.getJobID() + " failed while being cancelled", failureOf(job));
            }
            throw e;
        }
    }

    /**
     * Throws if {@code job} has failed for good, with its failure as the cause: for Awaitility's
     * {@code failFast}, so that a wait for a job's output ends at once, saying why, instead of
     * timing out.
     */
    public static void assertNotFailed(JobClient job) throws Exception {
        if (job.getJobStatus().get() == JobStatus.FAILED) {
            throw new AssertionError("job " + job.getJobID() + " failed", failureOf(job));
        }
    }

    private static Throwable failureOf(JobClient job) throws InterruptedException {
        try {
            job.getJobExecutionResult().get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }
}
