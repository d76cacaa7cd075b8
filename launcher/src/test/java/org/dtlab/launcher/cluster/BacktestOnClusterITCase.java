package org.dtlab.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.launcher.DtlabHome;
import org.dtlab.launcher.backtest.BacktestCommand;
import org.dtlab.launcher.generate.GenerateCommand;
import org.dtlab.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code dtlab backtest --cluster}: the same back-test run on a real multi-process Flink cluster
 * (one JobManager, two TaskManagers of one slot each, each its own JVM, started by the code behind
 * {@code dtlab cluster start} with its template; at parallelism 2 each stage runs on both) gives
 * exactly what it gives in the command's own process: final states, every event, the summary's
 * counts.
 */
class BacktestOnClusterITCase {

    private static final ObjectMapper JSON = Json.mapper();

    @Test
    void aBacktestOnAClusterGivesWhatItGivesInProcess(@TempDir Path dir) throws Exception {
        Path home = DtlabHome.locate();
        assertThat(DtlabHome.jobJar(home))
                .as("the job jar, built before these tests")
                .isRegularFile();
        Path archive = dir.resolve("archive.ndjson.gz");
        assertThat(
                        new CommandLine(new GenerateCommand())
                                .execute(
                                        "--devices",
                                        "2000",
                                        "--per-device",
                                        "10",
                                        "--bad-every",
                                        "997",
                                        "--out",
                                        archive.toString()))
                .isZero();
        Path specs = Path.of(archive + ".specs.json");

        String clusterUrl;
        StandaloneCluster cluster =
                new StandaloneCluster(
                        new ClusterDirectory(dir.resolve("cluster")), FlinkRuntime.of(home));
        try {
            FlinkRest rest =
                    cluster.start(
                            new ClusterSettings(2, 1, "1024m", 0, Map.of()), System.out::println);
            // A TaskManager registers before its slot does: --cluster counts the slots there are.
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> rest.overview().path("slots-total").asInt() == 2);
            clusterUrl = rest.url();
            assertThat(backtest(specs, archive, dir.resolve("on-cluster"), "--cluster", clusterUrl))
                    .isZero();
            assertThat(rest.taskManagers()).hasSize(2);
            JsonNode job = rest.jobs().get(0);
            assertThat(rest.jobs()).hasSize(1);
            assertThat(job.get("state").asText()).isEqualTo("FINISHED");
            // Without --parallelism, as many instances as the cluster has slots.
            int widest = 0;
            for (JsonNode vertex : rest.job(job.get("jid").asText()).path("vertices")) {
                widest = Math.max(widest, vertex.get("parallelism").asInt());
            }
            assertThat(widest).isEqualTo(2);
        } finally {
            cluster.stop();
        }
        assertThat(backtest(specs, archive, dir.resolve("in-process"))).isZero();

        Path onCluster = dir.resolve("on-cluster");
        Path inProcess = dir.resolve("in-process");
        assertThat(Files.readAllLines(onCluster.resolve("states.csv")))
                .hasSizeGreaterThan(2000 * 6) // up to 7 properties per device
                .isEqualTo(Files.readAllLines(inProcess.resolve("states.csv")));
        List<String> events = eventLines(onCluster);
        assertThat(events).hasSizeGreaterThan(2000).isEqualTo(eventLines(inProcess));
        JsonNode summary = JSON.readTree(onCluster.resolve("summary.json").toFile());
        JsonNode local = JSON.readTree(inProcess.resolve("summary.json").toFile());
        for (String count : List.of("inputRecords", "rejects", "twins", "twinOrder")) {
            assertThat(summary.get(count)).as(count).isEqualTo(local.get(count));
        }
        assertThat(summary.get("inputRecords").asLong()).isEqualTo(20_000);
        assertThat(summary.get("twinOrder").asText()).isEqualTo("checked");
        assertThat(summary.get("parallelism").asInt()).isEqualTo(2);
        assertThat(summary.get("cluster").asText()).isEqualTo(clusterUrl);
        assertThat(local.get("parallelism").asInt()).isEqualTo(2);
        assertThat(local.get("cluster").isNull()).isTrue();
    }

    private static int backtest(Path specs, Path archive, Path out, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--specs",
                                specs.toString(),
                                "--input",
                                archive.toString(),
                                "--out",
                                out.toString(),
                                "--run-id",
                                "on-cluster"));
        args.addAll(List.of(more));
        return new CommandLine(new BacktestCommand()).execute(args.toArray(String[]::new));
    }

    /** Every event line the run wrote, sorted (the files' split and order are the sinks'). */
    private static List<String> eventLines(Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(out.resolve("events"))) {
            for (Path file : files.sorted().toList()) {
                lines.addAll(Files.readAllLines(file));
            }
        }
        lines.sort(null);
        return lines;
    }
}
