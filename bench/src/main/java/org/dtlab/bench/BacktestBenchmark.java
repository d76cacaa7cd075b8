package org.dtlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.dtlab.job.TwinJob;
import org.dtlab.job.backtest.ArchiveFilter;
import org.dtlab.job.runtime.TwinInput;
import org.dtlab.launcher.backtest.BacktestCommand;
import org.dtlab.launcher.generate.GenerateCommand;
import picocli.CommandLine;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Back-test throughput side by side in one invocation, over the same generated archive (gzipped
 * NDJSON), each in Flink BATCH mode at parallelism 2, {@code runs} times:
 * <ol>
 *   <li><b>ceiling</b> — read the archive and parse each line (the back-test's own reader), nothing else;
 *   <li><b>dtlab</b> — {@code dtlab backtest}: the twin pipeline, events as NDJSON, final states as CSV;
 *   <li><b>flink-sql</b> — last value, count, min and max per twin property in Flink SQL over the same
 *       file ({@code json} format), written as NDJSON.
 * </ol>
 *
 * <p>Usage: {@code BacktestBenchmark <devices> <per-device> <runs> <work-dir>}; prints JSON.
 */
public final class BacktestBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BacktestBenchmark() {}

    public static void main(String[] args) throws Exception {
        int devices = Integer.parseInt(args[0]);
        int perDevice = Integer.parseInt(args[1]);
        int runs = Integer.parseInt(args[2]);
        Path work = Path.of(args[3]);
        Path archive = work.resolve("archive.ndjson.gz");
        PrintStream results = System.out;
        System.setOut(System.err); // the commands' progress lines; stdout carries only the result
        if (new CommandLine(new GenerateCommand()).execute("--devices", Integer.toString(devices),
                "--per-device", Integer.toString(perDevice), "--interval", "60s", "--out", archive.toString()) != 0) {
            throw new IllegalStateException("dtlab generate failed");
        }
        long records = (long) devices * perDevice;

        Map<String, List<Double>> rates = new LinkedHashMap<>();
        List<Double> speedUps = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            rates.computeIfAbsent("ceiling", k -> new ArrayList<>()).add(records / ceiling(archive));
            Path out = work.resolve("dtlab-" + run);
            long started = System.nanoTime();
            if (new CommandLine(new BacktestCommand()).execute("--specs", archive + ".specs.json", "--input", archive.toString(),
                    "--out", out.toString(), "--run-id", "bench-" + run) != 0) {
                throw new IllegalStateException("dtlab backtest failed");
            }
            rates.computeIfAbsent("dtlab", k -> new ArrayList<>()).add(records / ((System.nanoTime() - started) / 1e9));
            JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
            speedUps.add(summary.path("eventTimeSpanSeconds").asDouble() / summary.path("wallSeconds").asDouble());
            rates.computeIfAbsent("flinkSql", k -> new ArrayList<>()).add(records / flinkSql(archive, work.resolve("sql-" + run)));
            System.err.printf("run %d: %s%n", run, rates);
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("scenario", "backtest");
        result.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
        result.put("devices", devices);
        result.put("perDevice", perDevice);
        result.put("records", records);
        result.put("runs", runs);
        Map<String, Object> throughput = new LinkedHashMap<>();
        rates.forEach((name, values) -> throughput.put(name, Stats.summary(values)));
        result.put("recordsPerSecond", throughput);
        double ours = Stats.median(rates.get("dtlab"));
        result.put("dtlabPerCore", Math.round(ours / Runtime.getRuntime().availableProcessors()));
        result.put("dtlabSpeedUpVersusRealTime", Math.round(Stats.median(speedUps)));
        result.put("dtlabVersusFlinkSql", Stats.round2(ours / Stats.median(rates.get("flinkSql"))));
        result.put("dtlabVersusCeiling", Stats.round2(ours / Stats.median(rates.get("ceiling"))));
        // 1 million devices at one observation a minute: 16,667 records/s of real time.
        result.put("oneMillionDevicesSpeedUp", Stats.round2(ours / (1_000_000 / 60.0)));
        results.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        System.exit(0);
    }

    private static Configuration batch() {
        Configuration conf = TwinJob.requiredConfiguration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        conf.setString("taskmanager.memory.managed.size", "256m");
        conf.setString("parallelism.default", "2");
        return conf;
    }

    /** Seconds to read and parse the archive. */
    private static double ceiling(Path archive) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(batch());
        env.fromSource(FileSource.forRecordStreamFormat(new TextLineInputFormat(),
                        new org.apache.flink.core.fs.Path(archive.toUri())).build(), WatermarkStrategy.noWatermarks(), "archive")
                .process(new ArchiveFilter(Long.MIN_VALUE, Long.MAX_VALUE, ""), TypeInformation.of(TwinInput.class))
                .sinkTo(new DiscardingSink<>());
        long started = System.nanoTime();
        env.execute("ceiling");
        return (System.nanoTime() - started) / 1e9;
    }

    /** Seconds for the aggregates in Flink SQL. */
    private static double flinkSql(Path archive, Path out) throws Exception {
        TableEnvironment tables = TableEnvironment.create(EnvironmentSettings.newInstance().inBatchMode()
                .withConfiguration(batch()).build());
        tables.executeSql("CREATE TABLE archive (path STRING, idx INT, `value` DOUBLE, `datetime` STRING) WITH ("
                + "'connector' = 'filesystem', 'path' = '" + archive.toUri() + "', 'format' = 'json',"
                + "'json.ignore-parse-errors' = 'true')");
        tables.executeSql("CREATE TABLE twin_property (path STRING, idx INT, latest DOUBLE, cnt BIGINT, min_value DOUBLE,"
                + " max_value DOUBLE) WITH ('connector' = 'filesystem', 'path' = '" + out.toUri() + "', 'format' = 'json')");
        long started = System.nanoTime();
        tables.executeSql("INSERT INTO twin_property SELECT path, idx, LAST_VALUE(`value`), COUNT(*), MIN(`value`),"
                + " MAX(`value`) FROM archive WHERE path IS NOT NULL GROUP BY path, idx").await();
        return (System.nanoTime() - started) / 1e9;
    }
}
