package org.dtlab.launcher.cluster;

import java.util.Comparator;
import java.util.Optional;

/**
 * One JVM of a {@code dtlab cluster}: {@code jobmanager} or {@code taskmanager-N}, by
 * operating-system process id. The name is also the TaskManager's resource id, so Flink's REST API
 * and the process table name the same thing.
 */
public record ClusterProcess(String name, long pid) {

    public static final String JOB_MANAGER = "jobmanager";

    static final Comparator<ClusterProcess> ORDER =
            Comparator.comparing((ClusterProcess p) -> !p.isJobManager())
                    .thenComparingInt(ClusterProcess::taskManagerNumber);

    public static String taskManager(int number) {
        return "taskmanager-" + number;
    }

    public boolean isJobManager() {
        return JOB_MANAGER.equals(name);
    }

    int taskManagerNumber() {
        return isJobManager() ? 0 : Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    /**
     * The live process, unless it has ended (or the pid now belongs to a program other than Java).
     */
    public Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(true));
    }

    public boolean isAlive() {
        return handle().isPresent();
    }
}
