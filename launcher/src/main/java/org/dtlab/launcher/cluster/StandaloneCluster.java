package org.dtlab.launcher.cluster;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

import org.dtlab.launcher.StartupException;
import org.dtlab.launcher.local.Preflight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A Flink standalone session cluster on this machine: one JobManager and N TaskManagers, each its
 * own JVM started the way the Flink distribution's scripts start them (memory settings computed by
 * Flink's own process-spec utilities, as {@code BashJavaUtils} does for {@code bin/jobmanager.sh}).
 * The processes outlive the command that started them; their pid files let a later command find,
 * stop or kill them.
 */
public final class StandaloneCluster {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final ClusterDirectory dir;
    private final FlinkRuntime runtime;

    public StandaloneCluster(ClusterDirectory dir, FlinkRuntime runtime) {
        this.dir = dir;
        this.runtime = runtime;
    }

    public ClusterDirectory directory() {
        return dir;
    }

    public FlinkRuntime runtime() {
        return runtime;
    }

    /**
     * Starts the JobManager and the TaskManagers, and returns once all TaskManagers have
     * registered.
     */
    public FlinkRest start(ClusterSettings settings, Consumer<String> progress)
            throws StartupException, IOException {
        Optional<ClusterProcess> running =
                processes().stream().filter(ClusterProcess::isAlive).findFirst();
        if (running.isPresent()) {
            throw new StartupException(
                    "a cluster is already running in "
                            + dir.root()
                            + " ("
                            + running.get().name()
                            + ", pid "
                            + running.get().pid()
                            + "): stop it first with 'dtlab cluster stop'");
        }
        Preflight.freePort("127.0.0.1", settings.restPort(), "--port");
        dir.create();
        try (Stream<Path> stale = Files.list(dir.pids())) {
            for (Path file : stale.toList()) {
                Files.delete(file);
            }
        }
        Configuration conf = ClusterConfiguration.write(dir, settings);
        FlinkRest rest = rest(conf);

        startJobManager(conf);
        progress.accept("JobManager started, REST API and web UI at " + rest.url());
        for (int i = 1; i <= settings.taskManagers(); i++) {
            startTaskManager(conf, ClusterProcess.taskManager(i));
        }
        progress.accept(
                settings.taskManagers()
                        + " TaskManager(s) started, "
                        + TaskExecutorProcessUtils.processSpecFromConfig(conf)
                                .getTotalProcessMemorySize()
                                .getMebiBytes()
                        + " MB"
                        + " each; waiting for them to register");
        awaitTaskManagers(rest, settings.taskManagers());
        return rest;
    }

    /**
     * Starts a process of this cluster again under its name, with the configuration it was started
     * with (a JobManager comes back without jobs: there is no high availability to recover them).
     */
    public void restart(String name) throws IOException, StartupException {
        Configuration conf = ClusterConfiguration.read(dir);
        if (name.equals(ClusterProcess.JOB_MANAGER)) {
            startJobManager(conf);
        } else if (name.startsWith("taskmanager-")) {
            startTaskManager(conf, name);
        } else {
            throw new StartupException("no process '" + name + "' in a cluster");
        }
    }

    /** Returns once {@code expected} TaskManagers have registered with the JobManager. */
    public void awaitReady(int expected) throws StartupException, IOException {
        awaitTaskManagers(rest(), expected);
    }

    private void startJobManager(Configuration conf) throws IOException {
        JobManagerProcessSpec jm = JobManagerProcessUtils.processSpecFromConfig(conf);
        launch(
                ClusterProcess.JOB_MANAGER,
                FlinkRuntime.JOB_MANAGER_MAIN,
                words(JobManagerProcessUtils.generateJvmParametersStr(jm, conf)),
                words(JobManagerProcessUtils.generateDynamicConfigsStr(jm)));
    }

    private void startTaskManager(Configuration conf, String name) throws IOException {
        TaskExecutorProcessSpec tm = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        List<String> dynamic =
                new ArrayList<>(words(TaskExecutorProcessUtils.generateDynamicConfigsStr(tm)));
        dynamic.addAll(List.of("-D", "taskmanager.resource-id=" + name));
        launch(
                name,
                FlinkRuntime.TASK_MANAGER_MAIN,
                words(ProcessMemoryUtils.generateJvmParametersStr(tm)),
                dynamic);
    }

    /** The processes recorded for this cluster, live or not. */
    public List<ClusterProcess> processes() throws IOException {
        return dir.recordedProcesses();
    }

    /** The REST API of the running cluster, from its configuration. */
    public FlinkRest rest() throws StartupException {
        if (!Files.isRegularFile(dir.configFile())) {
            throw new StartupException(
                    "no cluster in " + dir.root() + ": start one with 'dtlab cluster start'");
        }
        return rest(ClusterConfiguration.read(dir));
    }

    /** SIGTERM to every process (TaskManagers first), SIGKILL to any still running after 30 s. */
    public List<ClusterProcess> stop() throws IOException {
        List<ClusterProcess> stopped = new ArrayList<>();
        List<ClusterProcess> processes = new ArrayList<>(processes());
        processes.sort(ClusterProcess.ORDER.reversed());
        for (ClusterProcess process : processes) {
            Optional<ProcessHandle> handle = process.handle();
            if (handle.isPresent()) {
                handle.get().destroy();
                stopped.add(process);
            }
        }
        for (ClusterProcess process : stopped) {
            ProcessHandle handle = process.handle().orElse(null);
            if (handle != null) {
                try {
                    handle.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                } catch (Exception e) {
                    handle.destroyForcibly();
                }
            }
        }
        for (ClusterProcess process : processes) {
            dir.removePid(process.name());
        }
        return stopped;
    }

    /** SIGKILL to one process, as a crashing machine would: no shutdown hook runs. */
    public ClusterProcess kill(String name) throws IOException, StartupException {
        ClusterProcess process =
                processes().stream()
                        .filter(p -> p.name().equals(name))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new StartupException(
                                                "no process '" + name + "' in " + dir.root()));
        ProcessHandle handle =
                process.handle()
                        .orElseThrow(
                                () ->
                                        new StartupException(
                                                name
                                                        + " (pid "
                                                        + process.pid()
                                                        + ") is not running"));
        handle.destroyForcibly();
        try {
            handle.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException(name + " did not end after SIGKILL", e);
        }
        return process;
    }

    private void launch(
            String name, String mainClass, List<String> jvmOptions, List<String> dynamicProperties)
            throws IOException {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add("-Dlog.file=" + dir.logs().resolve(name + ".log"));
        options.add("-Dlog4j.configurationFile=" + dir.conf().resolve("log4j.properties").toUri());
        List<String> args = new ArrayList<>(List.of("--configDir", dir.conf().toString()));
        args.addAll(dynamicProperties);
        Process process =
                new ProcessBuilder(runtime.command(options, mainClass, args))
                        .redirectErrorStream(true)
                        .redirectOutput(dir.logs().resolve(name + ".out").toFile())
                        .start();
        dir.writePid(name, process.pid());
    }

    private void awaitTaskManagers(FlinkRest rest, int expected)
            throws StartupException, IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        int registered = -1;
        while (System.nanoTime() < deadline) {
            for (ClusterProcess process : processes()) {
                if (!process.isAlive()) {
                    throw new StartupException(
                            process.name()
                                    + " ended during start-up; its log: "
                                    + dir.logs().resolve(process.name() + ".out")
                                    + lastLines(dir.logs().resolve(process.name() + ".out")));
                }
            }
            try {
                registered = rest.overview().path("taskmanagers").asInt();
                if (registered >= expected) {
                    return;
                }
            } catch (IOException notYetServing) {
                // the JobManager's REST endpoint comes up a few seconds after the process
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("interrupted while waiting for the cluster");
            }
        }
        throw new StartupException(
                "the cluster did not become ready within "
                        + READY_TIMEOUT.toSeconds()
                        + " s ("
                        + Math.max(registered, 0)
                        + " of "
                        + expected
                        + " TaskManagers registered); logs in "
                        + dir.logs());
    }

    private static FlinkRest rest(Configuration conf) {
        return new FlinkRest(
                "http://" + conf.get(RestOptions.ADDRESS) + ":" + conf.get(RestOptions.PORT));
    }

    private static List<String> words(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private static String lastLines(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty()
                    ? ""
                    : "\n"
                            + String.join(
                                    "\n",
                                    lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
