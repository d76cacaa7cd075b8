package org.dtlab.launcher.testutils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/** Appends one line per survived fault to {@code target/chaos-results.txt} (the docs quote it). */
public final class ChaosResults {

    private static final Path FILE = Path.of("target", "chaos-results.txt");

    private ChaosResults() {}

    public static void record(String fault, String where, Duration recovery, String details)
            throws IOException {
        String line =
                String.format(
                        "%s\t%s\t%s\trecovery %.1f s\t%s%n",
                        Instant.now(), fault, where, recovery.toMillis() / 1000.0, details);
        Files.createDirectories(FILE.getParent());
        Files.writeString(
                FILE,
                line,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        System.out.print("chaos result: " + line);
    }
}
