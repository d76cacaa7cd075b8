package org.dtlab.bench;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.job.TwinJob;
import org.dtlab.job.backtest.ArchiveFilter;
import org.dtlab.job.backtest.BacktestPipeline;
import org.dtlab.job.runtime.TwinInput;
import org.dtlab.launcher.backtest.BacktestCommand;
import org.dtlab.launcher.generate.GenerateCommand;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Back-test throughput side by side in one invocation, over the same generated archive (gzipped
 * NDJSON), each in Flink BATCH mode at parallelism 2, {@code runs} times:
 *
 * <ol>
 *   <li><b>ceiling</b> — read the archive and parse each line (the back-test's own reader), nothing
 *       else;
 *   <li><b>dtlab</b> — {@code dtlab backtest}: the twin pipeline, events as NDJSON, final states as
 *       CSV;
 *   <li><b>flink-sql</b> — last value, count, min and max per twin property in Flink SQL over the
 *       same file ({@code json} format), written as NDJSON;
 *   <li><b>dtlab programmable</b> — {@code dtlab backtest} with specs whose type also has 5 {@code
 *       expr} and 2 {@code alarm} operators ({@link #PROGRAMMABLE}), against 2: what expressions
 *       and alarms cost. The plain and the programmable back-test alternate which goes first;
 *   <li><b>dtlab states only</b> — {@code dtlab backtest --events none}: the plain back-test
 *       writing only the final states, as the SQL job writes only its aggregates — the fair pair
 *       for the SQL baseline, beside the full output of 2;
 *   <li><b>dtlab sorted</b> and <b>dtlab states only, sorted</b> — 2 and 5 with {@code --sort
 *       always}: Flink's BATCH sort of each twin's records, the back-test before decision 42, run
 *       right before (odd runs) or after (even runs) their unsorted pair.
 * </ol>
 *
 * <p>Usage: {@code BacktestBenchmark <devices> <per-device> <runs> <work-dir> [phases]}; prints
 * JSON. {@code phases} (default {@code ceiling,dtlab,prog,states,sql}) narrows a run down, e.g. to
 * {@code prog} for a profile.
 */
public final class BacktestBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALL_PHASES = "ceiling,dtlab,prog,states,sql,sorted";

    /**
     * What the programmable type adds to the generated type ({@code dtlab generate}: temperature
     * (idx 0) and vibration (idx 1) as random walks, one of them per device and minute; count, min,
     * max and hours_active operators): each is triggered by the property it watches.
     */
    static final List<ProgrammableType.Added> PROGRAMMABLE =
            List.of(
                    ProgrammableType.expr("temperature_f", List.of(0), "temperature * 1.8 + 32"),
                    ProgrammableType.expr(
                            "temperature_jump",
                            List.of(0),
                            "has(prev.temperature) ? abs(temperature - prev.temperature) : 0.0"),
                    ProgrammableType.expr(
                            "vibration_clamped", List.of(1), "clamp(vibration, 0.0, 0.9)"),
                    ProgrammableType.expr(
                            "temperature_position",
                            List.of(0),
                            "max_temperature - min_temperature > 0.0 ? (temperature -"
                                + " min_temperature) / (max_temperature - min_temperature) : 0.5"),
                    ProgrammableType.expr(
                            "running_hot",
                            List.of(0),
                            "temperature > 50.0 && temperature_jump < 0.5 ? 1.0 : 0.0"),
                    ProgrammableType.alarm(
                            "overheat",
                            List.of(0),
                            "temperature > 55.0",
                            "temperature < 52.0",
                            null,
                            "major"),
                    ProgrammableType.alarm(
                            "vibration_high",
                            List.of(1),
                            "vibration > 0.8",
                            null,
                            "PT5M",
                            "warning"));

    private BacktestBenchmark() {}

    public static void main(String[] args) throws Exception {
        int devices = Integer.parseInt(args[0]);
        int perDevice = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        Path work = Path.of(args[3]);
        List<String> phases = List.of((args.length > 4 ? args[4] : ALL_PHASES).split(","));
        Path archive = work.resolve("archive.ndjson.gz");
        PrintStream results = System.out;
        System.setOut(System.err); // the commands' progress lines; stdout carries only the result
        if (new CommandLine(new GenerateCommand())
                        .execute(
                                "--devices",
                                Integer.toString(devices),
                                "--per-device",
                                Integer.toString(perDevice),
                                "--interval",
                                "60s",
                                "--out",
                                archive.toString())
                != 0) {
            throw new IllegalStateException("dtlab generate failed");
        }
        long records = (long) devices * perDevice;
        Path plainSpecs = Path.of(archive + ".specs.json");
        Path programmableSpecs = work.resolve("programmable.specs.json");
        Files.writeString(
                programmableSpecs,
                ProgrammableType.extend(Files.readString(plainSpecs).strip(), PROGRAMMABLE) + "\n");

        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (String name :
                List.of(
                        "ceiling",
                        "dtlab",
                        "dtlabSorted",
                        "dtlabProgrammable",
                        "dtlabStatesOnly",
                        "dtlabStatesOnlySorted",
                        "flinkSql")) {
            rates.put(name, new ArrayList<>()); // the order of the result
        }
        List<Double> speedUps = new ArrayList<>();
        Map<String, Map<String, Long>> events = new LinkedHashMap<>();
        Map<String, List<Double>> others =
                new LinkedHashMap<>(); // cores used by other processes, per job
        Double loadAtStart = MachineLoad.loadAverage();
        for (int run = 1; run <= runs; run++) {
            if (phases.contains("ceiling")) {
                MachineLoad start = MachineLoad.now();
                rates.get("ceiling").add(records / ceiling(archive));
                others.computeIfAbsent("ceiling", k -> new ArrayList<>())
                        .add(MachineLoad.otherCores(start));
            }
            // The plain and the programmable back-test alternate which goes first.
            for (boolean programmable :
                    run % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (!phases.contains(programmable ? "prog" : "dtlab")) {
                    continue;
                }
                String variant = programmable ? "dtlabProgrammable" : "dtlab";
                Path out = work.resolve(variant + "-" + run);
                if (!programmable && run % 2 == 1 && phases.contains("sorted")) {
                    timed(
                            rates,
                            others,
                            "dtlabSorted",
                            plainSpecs,
                            archive,
                            work,
                            run,
                            "all",
                            records);
                }
                MachineLoad start = MachineLoad.now();
                Instant from = Instant.now();
                long started = System.nanoTime();
                backtest(
                        programmable ? programmableSpecs : plainSpecs,
                        archive,
                        out,
                        run,
                        "all",
                        "auto");
                rates.get(variant).add(records / ((System.nanoTime() - started) / 1e9));
                others.computeIfAbsent(variant, k -> new ArrayList<>())
                        .add(MachineLoad.otherCores(start));
                System.err.printf(
                        "job %s from %s to %s%n",
                        variant, from, Instant.now()); // e.g. to cut a JFR recording
                JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
                if (!summary.path("twinOrder").asText().equals("checked")) {
                    throw new IllegalStateException(
                            "the back-test sorted: " + summary.path("sortReason"));
                }
                if (!programmable) {
                    speedUps.add(
                            summary.path("eventTimeSpanSeconds").asDouble()
                                    / summary.path("wallSeconds").asDouble());
                }
                events.put(
                        variant,
                        eventsByType(
                                out.resolve("events"))); // the same in every run: the last one's
                if (!programmable && run % 2 == 0 && phases.contains("sorted")) {
                    timed(
                            rates,
                            others,
                            "dtlabSorted",
                            plainSpecs,
                            archive,
                            work,
                            run,
                            "all",
                            records);
                }
            }
            if (phases.contains("states")) {
                if (run % 2 == 1 && phases.contains("sorted")) {
                    timed(
                            rates,
                            others,
                            "dtlabStatesOnlySorted",
                            plainSpecs,
                            archive,
                            work,
                            run,
                            "none",
                            records);
                }
                MachineLoad start = MachineLoad.now();
                long started = System.nanoTime();
                backtest(
                        plainSpecs,
                        archive,
                        work.resolve("dtlabStatesOnly-" + run),
                        run,
                        "none",
                        "auto");
                rates.get("dtlabStatesOnly").add(records / ((System.nanoTime() - started) / 1e9));
                others.computeIfAbsent("dtlabStatesOnly", k -> new ArrayList<>())
                        .add(MachineLoad.otherCores(start));
                if (run % 2 == 0 && phases.contains("sorted")) {
                    timed(
                            rates,
                            others,
                            "dtlabStatesOnlySorted",
                            plainSpecs,
                            archive,
                            work,
                            run,
                            "none",
                            records);
                }
            }
            if (phases.contains("sql")) {
                MachineLoad start = MachineLoad.now();
                rates.get("flinkSql").add(records / flinkSql(archive, work.resolve("sql-" + run)));
                others.computeIfAbsent("flinkSql", k -> new ArrayList<>())
                        .add(MachineLoad.otherCores(start));
            }
            System.err.printf("run %d: %s; other processes' cores: %s%n", run, rates, others);
        }
        rates.values().removeIf(List::isEmpty);
        if (!Set.copyOf(phases).containsAll(List.of(ALL_PHASES.split(",")))) {
            results.println(
                    JSON.writerWithDefaultPrettyPrinter()
                            .writeValueAsString(
                                    Map.of(
                                            "scenario",
                                            "backtest",
                                            "partial",
                                            phases,
                                            "recordsPerSecond",
                                            rates,
                                            "events",
                                            events,
                                            "otherProcessesCoresPerRun",
                                            others)));
            System.exit(0);
        }
        long alarms = events.get("dtlabProgrammable").getOrDefault("AlarmRaised", 0L);
        if (alarms == 0) {
            throw new IllegalStateException(
                    "the programmable back-test raised no alarm: " + events);
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("scenario", "backtest");
        result.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
        result.put("devices", devices);
        result.put("perDevice", perDevice);
        result.put("records", records);
        result.put("runs", runs);
        Map<String, Object> machineLoad = new LinkedHashMap<>();
        machineLoad.put("loadAverage1mAtStart", loadAtStart);
        machineLoad.put("loadAverage1mAtEnd", MachineLoad.loadAverage());
        machineLoad.put("otherProcessesCoresPerRun", others); // besides this JVM
        result.put("machineLoad", machineLoad);
        Map<String, Object> throughput = new LinkedHashMap<>();
        rates.forEach((name, values) -> throughput.put(name, Stats.summary(values)));
        result.put("recordsPerSecond", throughput);
        double ours = Stats.median(rates.get("dtlab"));
        result.put("dtlabPerCore", Math.round(ours / Runtime.getRuntime().availableProcessors()));
        result.put("dtlabSpeedUpVersusRealTime", Math.round(Stats.median(speedUps)));
        result.put("dtlabVersusFlinkSql", Stats.round2(ours / Stats.median(rates.get("flinkSql"))));
        result.put(
                "dtlabStatesOnlyVersusFlinkSql",
                Stats.round2(
                        Stats.median(rates.get("dtlabStatesOnly"))
                                / Stats.median(rates.get("flinkSql"))));
        result.put("dtlabVersusCeiling", Stats.round2(ours / Stats.median(rates.get("ceiling"))));
        // 1 million devices at one observation a minute: 16,667 records/s of real time.
        result.put("oneMillionDevicesSpeedUp", Stats.round2(ours / (1_000_000 / 60.0)));
        // The BATCH sort against its absence (decision 42), pairs of runs side by side.
        Map<String, Object> noSort = new LinkedHashMap<>();
        noSort.put(
                "dtlabVersusSortedPerRun",
                Stats.ratios(rates.get("dtlab"), rates.get("dtlabSorted")));
        noSort.put(
                "dtlabStatesOnlyVersusSortedPerRun",
                Stats.ratios(rates.get("dtlabStatesOnly"), rates.get("dtlabStatesOnlySorted")));
        noSort.put(
                "dtlabSortedVersusFlinkSql",
                Stats.round2(
                        Stats.median(rates.get("dtlabSorted"))
                                / Stats.median(rates.get("flinkSql"))));
        noSort.put(
                "dtlabStatesOnlySortedVersusFlinkSql",
                Stats.round2(
                        Stats.median(rates.get("dtlabStatesOnlySorted"))
                                / Stats.median(rates.get("flinkSql"))));
        result.put("withoutTheSort", noSort);
        result.put(
                "dtlabProgrammableVersusDtlab",
                Stats.round2(Stats.median(rates.get("dtlabProgrammable")) / ours));
        Map<String, Object> programmable = new LinkedHashMap<>();
        programmable.put(
                "type", ProgrammableType.describe(PROGRAMMABLE, GenerateCommand.PROPS.size(), 4));
        programmable.put(
                "versusPlainPerRun",
                Stats.ratios(rates.get("dtlabProgrammable"), rates.get("dtlab")));
        programmable.put(
                "eventsWrittenPerRun",
                events); // by event type, plain and programmable (the last run)
        result.put("programmable", programmable);
        results.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.exit(0);
    }

    /** A back-test with {@code --sort always}, timed into {@code rates} under {@code variant}. */
    private static void timed(
            Map<String, List<Double>> rates,
            Map<String, List<Double>> others,
            String variant,
            Path specs,
            Path archive,
            Path work,
            int run,
            String events,
            long records) {
        MachineLoad start = MachineLoad.now();
        long started = System.nanoTime();
        backtest(specs, archive, work.resolve(variant + "-" + run), run, events, "always");
        rates.get(variant).add(records / ((System.nanoTime() - started) / 1e9));
        others.computeIfAbsent(variant, k -> new ArrayList<>()).add(MachineLoad.otherCores(start));
    }

    /** Runs {@code dtlab backtest} as a user would, writing the given {@code --events}. */
    private static void backtest(
            Path specs, Path archive, Path out, int run, String events, String sort) {
        if (new CommandLine(new BacktestCommand())
                        .execute(
                                "--specs",
                                specs.toString(),
                                "--input",
                                archive.toString(),
                                "--out",
                                out.toString(),
                                "--run-id",
                                "bench-" + run,
                                "--events",
                                events,
                                "--sort",
                                sort)
                != 0) {
            throw new IllegalStateException("dtlab backtest failed");
        }
    }

    private static Configuration batch() {
        Configuration conf = TwinJob.requiredConfiguration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        conf.setString("taskmanager.memory.managed.size", "256m");
        conf.setString("parallelism.default", "2");
        // As dtlab backtest's own cluster (BacktestConfiguration): no compression of the shuffle,
        // which stays on this machine; the same for every job of the comparison.
        conf.set(
                NettyShuffleEnvironmentOptions.SHUFFLE_COMPRESSION_CODEC,
                NettyShuffleEnvironmentOptions.CompressionCodec.NONE);
        return conf;
    }

    /** The events a back-test wrote (NDJSON files under {@code dir}), counted by event type. */
    private static Map<String, Long> eventsByType(Path dir) throws IOException {
        Pattern type = Pattern.compile("\"eventType\":\"([A-Za-z]+)\"");
        Map<String, Long> counts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try (Stream<String> lines = Files.lines(file)) {
                    lines.forEach(
                            line -> {
                                Matcher m = type.matcher(line);
                                if (m.find()) {
                                    counts.merge(m.group(1), 1L, Long::sum);
                                }
                            });
                }
            }
        }
        return counts;
    }

    /** Seconds to read and parse the archive with the back-test's own reader and filter. */
    private static double ceiling(Path archive) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(batch());
        BacktestPipeline.files(env, archive)
                .process(
                        new ArchiveFilter(Long.MIN_VALUE, Long.MAX_VALUE, ""),
                        TypeInformation.of(TwinInput.class))
                .sinkTo(new DiscardingSink<>());
        long started = System.nanoTime();
        env.execute("ceiling");
        return (System.nanoTime() - started) / 1e9;
    }

    /** Seconds for the aggregates in Flink SQL. */
    private static double flinkSql(Path archive, Path out) throws Exception {
        TableEnvironment tables =
                TableEnvironment.create(
                        EnvironmentSettings.newInstance()
                                .inBatchMode()
                                .withConfiguration(batch())
                                .build());
        tables.executeSql(
                "CREATE TABLE archive (path STRING, idx INT, `value` DOUBLE, `datetime` STRING)"
                        + " WITH ('connector' = 'filesystem', 'path' = '"
                        + archive.toUri()
                        + "', 'format' = 'json',"
                        + "'json.ignore-parse-errors' = 'true')");
        tables.executeSql(
                "CREATE TABLE twin_property (path STRING, idx INT, latest DOUBLE, cnt BIGINT,"
                        + " min_value DOUBLE, max_value DOUBLE) WITH ('connector' = 'filesystem',"
                        + " 'path' = '"
                        + out.toUri()
                        + "', 'format' = 'json')");
        long started = System.nanoTime();
        tables.executeSql(
                        "INSERT INTO twin_property SELECT path, idx, LAST_VALUE(`value`), COUNT(*),"
                                + " MIN(`value`), MAX(`value`) FROM archive WHERE path IS NOT NULL"
                                + " GROUP BY path, idx")
                .await();
        return (System.nanoTime() - started) / 1e9;
    }
}
