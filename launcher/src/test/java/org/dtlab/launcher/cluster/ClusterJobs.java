package org.dtlab.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;

/** What the cluster tests ask Flink's REST API about the twin job. */
final class ClusterJobs {

    private ClusterJobs() {}

    /** Whether the job is RUNNING with every one of its tasks RUNNING. */
    static boolean allTasksRunning(FlinkRest rest, String jobId) throws Exception {
        JsonNode job = rest.job(jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            if (!"RUNNING".equals(vertex.path("status").asText())) {
                return false;
            }
        }
        return true;
    }
}
