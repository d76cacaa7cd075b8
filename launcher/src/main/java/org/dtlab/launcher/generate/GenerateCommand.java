package org.dtlab.launcher.generate;

import com.fasterxml.jackson.databind.ObjectWriter;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.json.DateTimes;
import org.dtlab.model.json.Json;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.spec.TwinType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;

/**
 * {@code dtlab generate}: a reproducible synthetic archive of device observations (NDJSON, gzipped
 * when the file name ends in {@code .gz}), and the specs that program its twins.
 */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a reproducible (seeded) archive of observations for back-tests and benchmarks:"
                    + " N devices (twins device/d<i>) with K observations each, in time order,"
                    + " temperatures and vibrations as random walks, and a few bad lines.",
            "Also writes <out>.specs.json: the type 'device' with count, min, max and hours_active"
                    + " operators."
        })
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--devices", required = true, description = "Number of devices (twins).")
    int devices;

    @Option(names = "--per-device", required = true, description = "Observations per device.")
    int perDevice;

    @Option(
            names = "--interval",
            defaultValue = "60s",
            description =
                    "Time between a device's observations, e.g. 60s, 5m (default:"
                            + " ${DEFAULT-VALUE}).")
    String interval;

    @Option(
            names = "--out",
            required = true,
            description =
                    "The archive to write (.ndjson or .ndjson.gz); with --files above 1, the"
                            + " directory to write its parts to.")
    Path out;

    @Option(
            names = "--files",
            defaultValue = "1",
            description =
                    "Files to spread the devices over, each device's observations in one of them,"
                            + " in time order: a back-test reads the files of a directory in"
                            + " parallel. Above 1, --out is a new directory of"
                            + " part-<n>.ndjson.gz files (default: ${DEFAULT-VALUE}).")
    int files;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--bad-every",
            defaultValue = "10000",
            description =
                    "About one line in n is bad, at random (0 = none; default: ${DEFAULT-VALUE}).")
    long badEvery;

    @Option(
            names = "--start",
            defaultValue = "2026-01-01T00:00:00Z",
            description = "Event time of the first observation (default: ${DEFAULT-VALUE}).")
    Instant start;

    /** The props of the generated type: measured 0-1, derived 2-6. */
    public static final List<String> PROPS =
            List.of(
                    "temperature",
                    "vibration",
                    "readings",
                    "max_temperature",
                    "min_temperature",
                    "hours_active",
                    "first_seen");

    @Override
    public Integer call() throws IOException {
        if (devices < 1 || perDevice < 1) {
            System.err.println("dtlab generate: --devices and --per-device must be positive");
            return 1;
        }
        Duration step = parseDuration(interval);
        if (step == null) {
            System.err.println(
                    "dtlab generate: --interval must look like 60s, 5m or 1h, got '"
                            + interval
                            + "'");
            return 1;
        }
        if (files < 1 || files > devices) {
            System.err.println(
                    "dtlab generate: --files must be between 1 and --devices, got " + files);
            return 1;
        }
        if (files > 1 && Files.exists(out)) {
            System.err.println(
                    "dtlab generate: with --files, --out is a new directory: "
                            + out
                            + " exists already");
            return 1;
        }
        List<Path> parts = parts();
        for (Path part : parts) {
            Files.createDirectories(part.toAbsolutePath().getParent());
        }
        long lines = 0;
        long begin = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        double[] temperature = new double[devices];
        double[] vibration = new double[devices];
        for (int d = 0; d < devices; d++) {
            temperature[d] = 20 + random.nextDouble() * 40;
            vibration[d] = random.nextDouble();
        }
        BufferedWriter[] writers = new BufferedWriter[parts.size()];
        try {
            for (int f = 0; f < writers.length; f++) {
                writers[f] = open(parts.get(f));
            }
            for (int k = 0; k < perDevice; k++) {
                Instant at = start.plus(step.multipliedBy(k));
                for (int d = 0; d < devices; d++) {
                    lines++;
                    BufferedWriter writer = writers[d % writers.length];
                    // Bad lines at random (seeded) places, so that no device gets only bad ones.
                    if (badEvery > 0 && random.nextLong(badEvery) == 0) {
                        writer.write(
                                random.nextBoolean()
                                        ? "{\"path\":\"device/d"
                                                + d
                                                + "\",\"idx\":0,\"value\":\"hot\"}"
                                        : "not json at all");
                        writer.newLine();
                        continue;
                    }
                    // Devices report a few seconds apart within a round, as real ones do.
                    Instant when = at.plusMillis((d * 7919L) % Math.max(1, step.toMillis() / 2));
                    boolean temp = random.nextInt(4) != 0;
                    if (temp) {
                        temperature[d] += random.nextDouble() * 2 - 1;
                    } else {
                        vibration[d] = Math.max(0, vibration[d] + random.nextDouble() * 0.2 - 0.1);
                    }
                    writer.write(
                            String.format(
                                    Locale.ROOT,
                                    "{\"path\":\"device/d%d\",\"idx\":%d,\"value\":%.3f,\"datetime\":\"%s\"}",
                                    d,
                                    temp ? 0 : 1,
                                    temp ? temperature[d] : vibration[d],
                                    DateTimes.format(when)));
                    writer.newLine();
                }
            }
        } finally {
            for (BufferedWriter writer : writers) {
                if (writer != null) {
                    writer.close();
                }
            }
        }
        Path specs = Path.of(out + ".specs.json");
        ObjectWriter json = Json.mapper().writer();
        TwinType device =
                new TwinType(
                        "device",
                        PROPS,
                        List.of(),
                        List.of(
                                new OperatorSpec(
                                        "readings", "count", null, List.of(0, 1), List.of(2), null),
                                new OperatorSpec(
                                        "max_temperature",
                                        "max",
                                        null,
                                        List.of(0),
                                        List.of(3),
                                        null),
                                new OperatorSpec(
                                        "min_temperature",
                                        "min",
                                        null,
                                        List.of(0),
                                        List.of(4),
                                        null),
                                new OperatorSpec(
                                        "hours_active",
                                        "hours_active",
                                        null,
                                        List.of(0, 1),
                                        List.of(5, 6),
                                        null)),
                        null);
        Files.writeString(
                specs,
                json.writeValueAsString(
                                ControlMessage.createType("generated-device", start, device))
                        + "\n");
        System.out.printf(
                "dtlab generate: %,d lines (%d devices x %d, every %s) in %.1f s -> %s; specs ->"
                        + " %s%n",
                lines, devices, perDevice, interval, (System.nanoTime() - begin) / 1e9, out, specs);
        return 0;
    }

    /**
     * The files to write: {@code --out} itself, or its parts (the same lines, each device's in the
     * part {@code device % files}).
     */
    private List<Path> parts() {
        if (files == 1) {
            return List.of(out);
        }
        List<Path> parts = new ArrayList<>(files);
        for (int f = 0; f < files; f++) {
            parts.add(out.resolve(String.format(Locale.ROOT, "part-%05d.ndjson.gz", f)));
        }
        return parts;
    }

    private static BufferedWriter open(Path file) throws IOException {
        OutputStream stream = Files.newOutputStream(file);
        if (file.toString().endsWith(".gz")) {
            stream = new GZIPOutputStream(stream, 1 << 16);
        }
        return new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    static Duration parseDuration(String text) {
        try {
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            return switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> null;
            };
        } catch (RuntimeException e) {
            return null;
        }
    }
}
