package org.dtlab.launcher.cluster;

import java.util.Map;

/**
 * What {@code dtlab cluster start} was asked for.
 *
 * @param taskManagers how many TaskManager processes
 * @param slotsPerTaskManager task slots in each (null: the template's)
 * @param taskManagerMemory process size of each TaskManager, e.g. {@code 1536m} (null: the
 *     template's)
 * @param restPort the JobManager's REST API and web UI port (0: any free port)
 * @param overrides further Flink settings, applied last ({@code key -> value})
 */
public record ClusterSettings(
        int taskManagers,
        Integer slotsPerTaskManager,
        String taskManagerMemory,
        int restPort,
        Map<String, String> overrides) {

    public ClusterSettings {
        if (taskManagers < 1) {
            throw new IllegalArgumentException(
                    "--taskmanagers must be at least 1, got " + taskManagers);
        }
        if (slotsPerTaskManager != null && slotsPerTaskManager < 1) {
            throw new IllegalArgumentException(
                    "--slots must be at least 1, got " + slotsPerTaskManager);
        }
        if (restPort < 0 || restPort > 65535) {
            throw new IllegalArgumentException(
                    "--port must be between 0 and 65535, got " + restPort);
        }
        overrides = Map.copyOf(overrides);
    }
}
