package org.dtlab.launcher.cluster;

import org.dtlab.launcher.StartupException;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Flink runtime the cluster's JVMs run from: the jars of the {@code flink-distribution} module
 * (what the Flink distribution's {@code lib/} holds; the archive itself is not in Maven) and this
 * JVM's {@code java}.
 */
public record FlinkRuntime(Path lib, Path java, List<String> moduleFlags) {

    public static final String JOB_MANAGER_MAIN =
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    public static final String TASK_MANAGER_MAIN =
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    public static final String CLIENT_MAIN = "org.apache.flink.client.cli.CliFrontend";

    /**
     * The runtime under a DT Lab checkout ({@code flink-distribution/target/lib}), with the {@code
     * --add-opens}/{@code --add-exports} flags this JVM was started with (bin/dtlab and the test
     * runner pass the ones the Flink distribution sets for Java 17), so they live in one place.
     */
    public static FlinkRuntime of(Path home) throws StartupException {
        Path lib = home.resolve("flink-distribution/target/lib").toAbsolutePath().normalize();
        try (Stream<Path> jars = Files.isDirectory(lib) ? Files.list(lib) : Stream.empty()) {
            if (jars.noneMatch(j -> j.getFileName().toString().startsWith("flink-runtime-"))) {
                throw new StartupException(
                        "the Flink runtime jars are missing in "
                                + lib
                                + ": build them with 'mvn -DskipTests package' (bin/dtlab does this"
                                + " when needed)");
            }
        } catch (IOException e) {
            throw new StartupException("cannot read " + lib + ": " + e.getMessage());
        }
        List<String> flags = new ArrayList<>();
        List<String> input = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String arg : input) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")) {
                flags.add(arg);
            }
        }
        return new FlinkRuntime(
                lib, Path.of(System.getProperty("java.home"), "bin", "java"), List.copyOf(flags));
    }

    /** {@code java <module flags> <jvm options> -cp <lib>/* <main> <args>}. */
    List<String> command(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(moduleFlags);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(lib + File.separator + "*");
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
