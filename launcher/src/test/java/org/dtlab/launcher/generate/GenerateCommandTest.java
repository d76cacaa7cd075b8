package org.dtlab.launcher.generate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dtlab generate}: one archive, or the same lines spread over files by device. */
class GenerateCommandTest {

    private static final Pattern DEVICE = Pattern.compile("\"path\":\"device/d(\\d+)\"");
    private static final Pattern DATETIME = Pattern.compile("\"datetime\":\"([^\"]+)\"");

    @Test
    void theFilesHoldTheArchivesLinesEachDeviceInOneFileInTimeOrder(@TempDir Path dir)
            throws Exception {
        Path single = dir.resolve("one.ndjson.gz");
        Path split = dir.resolve("split");
        assertThat(generate("--out", single.toString())).isZero();
        assertThat(generate("--out", split.toString(), "--files", "3")).isZero();

        List<Path> parts;
        try (var files = Files.list(split)) {
            parts = files.sorted().toList();
        }
        assertThat(parts)
                .extracting(p -> p.getFileName().toString())
                .containsExactly(
                        "part-00000.ndjson.gz", "part-00001.ndjson.gz", "part-00002.ndjson.gz");
        List<String> all = new ArrayList<>();
        for (int f = 0; f < parts.size(); f++) {
            List<String> lines = lines(parts.get(f));
            String[] last = new String[50];
            for (String line : lines) {
                Matcher device = DEVICE.matcher(line);
                Matcher datetime = DATETIME.matcher(line);
                if (device.find() && datetime.find()) {
                    int d = Integer.parseInt(device.group(1));
                    assertThat(d % 3).as(line).isEqualTo(f);
                    assertThat(last[d] == null || last[d].compareTo(datetime.group(1)) < 0)
                            .as("in time order: " + line)
                            .isTrue();
                    last[d] = datetime.group(1);
                }
            }
            all.addAll(lines);
        }
        List<String> expected = lines(single);
        assertThat(all).hasSize(50 * 8).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(dir.resolve("split.specs.json"))
                .content()
                .isEqualTo(Files.readString(Path.of(single + ".specs.json")));
    }

    @Test
    void filesOutsideOneToTheDevicesOrAnExistingDirectoryAreOneLineErrors(@TempDir Path dir)
            throws Exception {
        Files.createDirectories(dir.resolve("exists"));
        assertThat(errorOf("--out", dir.resolve("a").toString(), "--files", "0"))
                .isEqualTo("dtlab generate: --files must be between 1 and --devices, got 0");
        assertThat(errorOf("--out", dir.resolve("a").toString(), "--files", "51"))
                .isEqualTo("dtlab generate: --files must be between 1 and --devices, got 51");
        assertThat(errorOf("--out", dir.resolve("exists").toString(), "--files", "2"))
                .isEqualTo(
                        "dtlab generate: with --files, --out is a new directory: "
                                + dir.resolve("exists")
                                + " exists already");
        assertThat(dir.resolve("a")).doesNotExist();
    }

    private static int generate(String... args) {
        List<String> all =
                new ArrayList<>(
                        List.of("--devices", "50", "--per-device", "8", "--bad-every", "37"));
        all.addAll(List.of(args));
        return new CommandLine(new GenerateCommand()).execute(all.toArray(String[]::new));
    }

    private static String errorOf(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(generate(args)).isEqualTo(1);
        } finally {
            System.setErr(before);
        }
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    private static List<String> lines(Path gzipped) throws IOException {
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(gzipped)),
                                StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        }
    }
}
