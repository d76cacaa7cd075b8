package org.dtlab.job.testutils;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.executiongraph.ErrorInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

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

    /**
     * How often any task of {@code job} was restarted, read from its execution graph on the
     * JobManager: the highest attempt number of any task (0: none was ever restarted). Unlike the
     * job status, which stays RUNNING while a region failover restarts its tasks, and unlike the
     * {@code numRestarts} metric behind the REST API, which is fetched every few seconds, this is
     * exact at the moment it is read.
     */
    public static int taskRestarts(MiniCluster cluster, JobID job) throws Exception {
        AccessExecutionGraph graph = cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS);
        int restarts = 0;
        for (AccessExecutionVertex vertex : graph.getAllExecutionVertices()) {
            restarts = Math.max(restarts, vertex.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return restarts;
    }

    /**
     * The failure that last made {@code job} restart (or fail), as a text for an assertion's
     * message; "none" if it never failed.
     */
    public static String lastFailure(MiniCluster cluster, JobID job) throws Exception {
        ErrorInfo failure =
                cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS).getFailureInfo();
        return failure == null ? "none" : failure.getExceptionAsString();
    }
}
