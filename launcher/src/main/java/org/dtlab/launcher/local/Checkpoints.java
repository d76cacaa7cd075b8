package org.dtlab.launcher.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The retained checkpoints of earlier runs under {@code <data-dir>/checkpoints/<job-id>/chk-N}: the
 * newest complete one is where a restart resumes; older runs' directories are removed.
 */
final class Checkpoints {

    private Checkpoints() {}

    /** The newest checkpoint whose metadata was written (a complete checkpoint), if any. */
    static Optional<Path> newest(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        // Flink removes subsumed checkpoints while a job runs (and a while after it failed): a
        // directory can vanish while it is read, then the walk is simply done again.
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> files = Files.walk(dir, 3)) {
                return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                        .max(Comparator.comparing(Checkpoints::modified))
                        .map(Path::getParent);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException) || attempt == 5) {
                    throw e.getCause();
                }
            }
        }
    }

    /** Deletes the directories of earlier runs except the one that holds {@code keep}. */
    static void removeAllBut(Path dir, Path keep) throws IOException {
        Path keepRun = keep.getParent();
        try (Stream<Path> runs = Files.list(dir)) {
            for (Path run :
                    runs.filter(Files::isDirectory).filter(r -> !r.equals(keepRun)).toList()) {
                deleteTree(run);
            }
        }
    }

    private static FileTime modified(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
