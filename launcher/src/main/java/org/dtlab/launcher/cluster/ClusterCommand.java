package org.dtlab.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.dtlab.launcher.DtlabHome;
import org.dtlab.launcher.StartupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code dtlab cluster start|submit|status|kill|stop}: a Flink standalone session cluster on this
 * machine.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = {
            "A Flink standalone session cluster on this machine: one JobManager and N TaskManagers,"
                + " each its own JVM, configured from flink-conf-templates/cluster.yaml (RocksDB,"
                + " incremental checkpoints, restart strategy). Submit the twin job to it like"
                + " 'flink run' does.",
            "Example: dtlab cluster start --taskmanagers 3 && dtlab cluster submit --"
                    + " --kafka.bootstrap 127.0.0.1:9092 --jdbc.url"
                    + " jdbc:postgresql://127.0.0.1:5432/twin --jdbc.user twin"
        },
        subcommands = {
            ClusterCommand.Start.class, ClusterCommand.Submit.class, ClusterCommand.Status.class,
            ClusterCommand.Kill.class, ClusterCommand.Supervise.class, ClusterCommand.Stop.class
        })
public final class ClusterCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The option every subcommand shares, and what it leads to. */
    abstract static class OnCluster implements Callable<Integer> {

        @Option(
                names = "--dir",
                defaultValue = "./data/cluster",
                description =
                        "The cluster's directory: configuration, logs, pid files, checkpoints"
                                + " (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public final Integer call() throws Exception {
            try {
                Path home = DtlabHome.locate();
                return run(
                        home,
                        new StandaloneCluster(new ClusterDirectory(dir), FlinkRuntime.of(home)));
            } catch (StartupException | IllegalArgumentException e) {
                System.err.println("dtlab cluster: " + e.getMessage());
                return 1;
            }
        }

        abstract int run(Path home, StandaloneCluster cluster) throws Exception;
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description =
                    "Starts the JobManager and the TaskManagers; returns when all TaskManagers have"
                            + " registered.")
    static final class Start extends OnCluster {

        @Option(
                names = "--taskmanagers",
                defaultValue = "2",
                description = "TaskManager processes (default: ${DEFAULT-VALUE}).")
        int taskManagers;

        @Option(
                names = "--slots",
                description = "Task slots per TaskManager (default: the template's, 2).")
        Integer slots;

        @Option(
                names = "--taskmanager-memory",
                description =
                        "Process size of each TaskManager, e.g. 1536m (default: the template's,"
                                + " 2048m).")
        String taskManagerMemory;

        @Option(
                names = "--port",
                defaultValue = "8081",
                description =
                        "REST API and web UI port (default: ${DEFAULT-VALUE}; 0 = any free port).")
        int port;

        @Option(
                names = "-D",
                paramLabel = "KEY=VALUE",
                description =
                        "Any further Flink setting, e.g. -D execution.checkpointing.interval=5s.")
        Map<String, String> overrides = new LinkedHashMap<>();

        @Override
        int run(Path home, StandaloneCluster cluster) throws Exception {
            FlinkRest rest =
                    cluster.start(
                            new ClusterSettings(
                                    taskManagers, slots, taskManagerMemory, port, overrides),
                            step -> System.out.println("dtlab cluster: " + step));
            JsonNode overview = rest.overview();
            System.out.printf(
                    "Flink cluster ready: %d TaskManager(s), %d slots · web UI %s · directory %s%n",
                    overview.path("taskmanagers").asInt(),
                    overview.path("slots-total").asInt(),
                    rest.url(),
                    cluster.directory().root());
            return 0;
        }
    }

    @Command(
            name = "submit",
            mixinStandardHelpOptions = true,
            description = {
                "Submits the twin job (or --jar) to the cluster, as 'flink run --detached' does,"
                        + " and prints its JobID.",
                "The job's own settings follow '--' (see docs/deployment.md), e.g. --"
                        + " --kafka.bootstrap 127.0.0.1:9092 --jdbc.url"
                        + " jdbc:postgresql://127.0.0.1:5432/twin --jdbc.user twin; or set DTLAB_*"
                        + " variables."
            })
    static final class Submit extends OnCluster {

        @Option(
                names = "--jar",
                description = "The job jar (default: the twin job built in job/target).")
        Path jar;

        @Option(
                names = "--parallelism",
                description = "The job's parallelism (default: the cluster's parallelism.default).")
        Integer parallelism;

        @Option(
                names = "--from-savepoint",
                paramLabel = "PATH",
                description = "Resume from this savepoint or retained checkpoint.")
        String restoreFrom;

        @Parameters(paramLabel = "JOB_ARGS", description = "The job's program arguments.")
        List<String> jobArgs = new ArrayList<>();

        @Override
        int run(Path home, StandaloneCluster cluster) throws Exception {
            Path jobJar = jar != null ? jar : DtlabHome.jobJar(home);
            String jobId =
                    new JobSubmitter(cluster.directory(), cluster.runtime())
                            .submit(jobJar, parallelism, restoreFrom, jobArgs);
            System.out.println(
                    "Job submitted: "
                            + jobId
                            + " · "
                            + cluster.rest().url()
                            + "/#/job/running/"
                            + jobId
                            + "/overview");
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description =
                    "The cluster's processes, TaskManagers, slots and jobs. Exit 0 when the"
                            + " JobManager runs, 3 when it does not.")
    static final class Status extends OnCluster {

        @Override
        int run(Path home, StandaloneCluster cluster) throws Exception {
            List<ClusterProcess> processes = cluster.processes();
            if (processes.isEmpty()) {
                System.out.println("no cluster in " + cluster.directory().root());
                return 3;
            }
            Map<String, JsonNode> registered = new LinkedHashMap<>();
            FlinkRest rest = cluster.rest();
            JsonNode jobs = null;
            try {
                rest.taskManagers().forEach(tm -> registered.put(tm.path("id").asText(), tm));
                jobs = rest.jobs();
            } catch (IOException unreachable) {
                // reported below as "not answering"
            }
            System.out.println(
                    "cluster in "
                            + cluster.directory().root()
                            + " · web UI "
                            + rest.url()
                            + (jobs == null ? " (not answering)" : ""));
            for (ClusterProcess process : processes) {
                JsonNode tm = registered.get(process.name());
                System.out.printf(
                        "  %-16s pid %-8d %-8s%s%n",
                        process.name(),
                        process.pid(),
                        process.isAlive() ? "running" : "ended",
                        tm == null
                                ? ""
                                : "  "
                                        + tm.path("slotsNumber").asInt()
                                        + " slots, "
                                        + tm.path("freeSlots").asInt()
                                        + " free");
            }
            if (jobs != null) {
                for (JsonNode job : jobs) {
                    System.out.printf(
                            "  job %s  %-10s %s%n",
                            job.path("jid").asText(),
                            job.path("state").asText(),
                            job.path("name").asText());
                }
            }
            return processes.get(0).isJobManager() && processes.get(0).isAlive() ? 0 : 3;
        }
    }

    @Command(
            name = "kill",
            mixinStandardHelpOptions = true,
            description =
                    "SIGKILLs one process (e.g. taskmanager-2), as a crashing machine would, to"
                            + " watch the job recover.")
    static final class Kill extends OnCluster {

        @Parameters(
                paramLabel = "PROCESS",
                description = "jobmanager or taskmanager-N (see 'dtlab cluster status').")
        String process;

        @Override
        int run(Path home, StandaloneCluster cluster) throws Exception {
            ClusterProcess killed = cluster.kill(process);
            System.out.println("killed " + killed.name() + " (pid " + killed.pid() + ")");
            return 0;
        }
    }

    @Command(
            name = "supervise",
            mixinStandardHelpOptions = true,
            description = {
                "Runs in the foreground and keeps the cluster whole: starts any process that ended"
                    + " again and, when that was the JobManager, submits the last job again from"
                    + " its newest retained checkpoint.",
                "Run it beside the cluster (e.g. as a systemd service, or with nohup); Ctrl-C ends"
                        + " it, not the cluster."
            })
    static final class Supervise extends OnCluster {

        @Option(
                names = "--interval-ms",
                defaultValue = "1000",
                description = "How often to check (default: ${DEFAULT-VALUE}).")
        long intervalMs;

        @Override
        int run(Path home, StandaloneCluster cluster) throws Exception {
            if (intervalMs < 100) {
                throw new IllegalArgumentException(
                        "--interval-ms must be at least 100, got " + intervalMs);
            }
            cluster.rest(); // a one-line error if there is no cluster here
            new ClusterSupervisor(
                            cluster,
                            new JobSubmitter(cluster.directory(), cluster.runtime()),
                            line -> System.out.println("dtlab cluster: " + line))
                    .run(Duration.ofMillis(intervalMs));
            return 0;
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description =
                    "Stops every process of the cluster (SIGTERM, SIGKILL after 30 s). Retained"
                            + " checkpoints stay in the directory.")
    static final class Stop extends OnCluster {

        @Override
        int run(Path home, StandaloneCluster cluster) throws Exception {
            List<ClusterProcess> stopped = cluster.stop();
            System.out.println(
                    stopped.isEmpty()
                            ? "no running cluster in " + cluster.directory().root()
                            : "stopped "
                                    + stopped.size()
                                    + " process(es) in "
                                    + cluster.directory().root());
            return 0;
        }
    }
}
