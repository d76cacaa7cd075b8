package org.dtlab.launcher.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a {@code dtlab cluster} keeps everything: {@code conf/} (the Flink configuration its
 * processes share), {@code logs/}, {@code pids/} (one file per process, so that status and stop
 * work from any later command), {@code checkpoints/}, {@code savepoints/}, {@code tmp/} (RocksDB's
 * working files) and {@code submission.json} (the last job submitted).
 */
public record ClusterDirectory(Path root) {

    public ClusterDirectory {
        root = root.toAbsolutePath().normalize();
    }

    public Path conf() {
        return root.resolve("conf");
    }

    public Path configFile() {
        return conf().resolve("config.yaml");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path pids() {
        return root.resolve("pids");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path savepoints() {
        return root.resolve("savepoints");
    }

    public Path tmp() {
        return root.resolve("tmp");
    }

    /** The last job submitted (jar, arguments, JobID): what the supervisor submits again. */
    public Path submission() {
        return root.resolve("submission.json");
    }

    void create() throws IOException {
        for (Path dir : List.of(conf(), logs(), pids(), checkpoints(), savepoints(), tmp())) {
            Files.createDirectories(dir);
        }
    }

    void writePid(String process, long pid) throws IOException {
        Files.writeString(
                pids().resolve(process + ".pid"), Long.toString(pid), StandardCharsets.UTF_8);
    }

    void removePid(String process) throws IOException {
        Files.deleteIfExists(pids().resolve(process + ".pid"));
    }

    /**
     * The processes this directory has a pid file for, the JobManager first, then the TaskManagers
     * in order.
     */
    List<ClusterProcess> recordedProcesses() throws IOException {
        if (!Files.isDirectory(pids())) {
            return List.of();
        }
        List<ClusterProcess> processes = new ArrayList<>();
        try (Stream<Path> files = Files.list(pids())) {
            for (Path file :
                    files.filter(f -> f.getFileName().toString().endsWith(".pid"))
                            .sorted()
                            .toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
                readPid(file).ifPresent(pid -> processes.add(new ClusterProcess(name, pid)));
            }
        }
        processes.sort(ClusterProcess.ORDER);
        return processes;
    }

    private static Optional<Long> readPid(Path file) throws IOException {
        try {
            return Optional.of(
                    Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
