package org.dtlab.launcher.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.model.control.Registry;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.json.DateTimes;
import org.dtlab.model.json.Json;
import org.dtlab.model.telemetry.Telemetry;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The directory of a back-test's results ({@code --out}): where the job's sinks write, and what the
 * command makes of their files once the job is done.
 *
 * <ul>
 *   <li>{@code events/} — the events, NDJSON, written by the job;
 *   <li>{@code rejects/} — the rejected records, NDJSON, written by the job;
 *   <li>{@code .states/} — the job's coalesced states, read and removed at the end;
 *   <li>{@code .checkpoints/} — a STREAMING run's checkpoints;
 *   <li>{@code states.csv} and {@code summary.json} — written at the end.
 * </ul>
 */
final class BacktestOutput {

    private static final ObjectMapper JSON = Json.mapper();

    private final Path dir;

    private BacktestOutput(Path dir) {
        this.dir = dir;
    }

    /** Creates the directory (and its parents) if it does not exist. */
    static BacktestOutput create(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new BacktestOutput(dir);
    }

    Path events() {
        return dir.resolve("events");
    }

    Path states() {
        return dir.resolve(".states");
    }

    Path rejects() {
        return dir.resolve("rejects");
    }

    Path checkpoints() {
        return dir.resolve(".checkpoints");
    }

    /**
     * Removes what a job wrote (events, rejects, states; not the checkpoints), for a run of the job
     * again into the same directory.
     */
    void clearJobOutput() throws IOException {
        for (Path written : List.of(events(), rejects(), states())) {
            if (Files.isDirectory(written)) {
                try (var files = Files.walk(written)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    /** The finished files of the rejects. */
    List<Path> rejectFiles() throws IOException {
        return parts(rejects());
    }

    /**
     * The newest state per twin among the coalesced states the job wrote; the files are removed.
     */
    Map<String, TwinSnapshot> takeFinalStates() throws IOException {
        Map<String, TwinSnapshot> newest = new TreeMap<>();
        for (Path part : parts(states())) {
            try (var lines = Files.lines(part)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    TwinSnapshot s = JSON.readValue(line, TwinSnapshot.class);
                    newest.merge(s.path(), s, (x, y) -> y.version() > x.version() ? y : x);
                }
            }
            Files.delete(part);
        }
        Files.deleteIfExists(states());
        return newest;
    }

    /** {@code states.csv}: one row per twin property, easy to load into pandas or Spark. */
    void writeStates(String run, Map<String, TwinSnapshot> states, Registry registry)
            throws IOException {
        try (BufferedWriter writer =
                Files.newBufferedWriter(dir.resolve("states.csv"), StandardCharsets.UTF_8)) {
            writer.write("run_id,path,dt_type,version,sequence,idx,name,value,datetime");
            writer.newLine();
            for (TwinSnapshot s : states.values()) {
                for (Telemetry t : s.state()) {
                    String name =
                            registry.type(s.dtType())
                                    .map(type -> type.propName(t.idx()))
                                    .orElse("unknown");
                    writer.write(
                            String.join(
                                    ",",
                                    run,
                                    s.path(),
                                    s.dtType(),
                                    Long.toString(s.version()),
                                    Long.toString(s.sequence()),
                                    Integer.toString(t.idx()),
                                    name,
                                    Double.toString(t.value()),
                                    DateTimes.format(t.datetime())));
                    writer.newLine();
                }
            }
        }
    }

    /** {@code summary.json}, ended by a newline. */
    void writeSummary(String summaryJson) throws IOException {
        Files.writeString(dir.resolve("summary.json"), summaryJson + "\n");
    }

    /**
     * The bytes of the results: what the run wrote. Not the checkpoints of a STREAMING run, which
     * Flink may still be deleting.
     */
    long bytes() throws IOException {
        long[] bytes = {0};
        Files.walkFileTree(
                dir,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                        return d.getFileName().toString().equals(".checkpoints")
                                ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                        bytes[0] += a.size();
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path f, IOException e) {
                        return FileVisitResult.CONTINUE; // gone meanwhile
                    }
                });
        return bytes[0];
    }

    /** The finished part files of a FileSink directory (in-progress files start with a dot). */
    private static List<Path> parts(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }
}
