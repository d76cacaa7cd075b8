package org.dtlab.launcher.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.launcher.generate.GenerateCommand;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.dtlab.model.json.Json;
import org.dtlab.model.logic.TwinMachine;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Telemetry;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.model.telemetry.TwinPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Same results live and replayed: a generated archive with every operator kind, back-tested in
 * BATCH and in STREAMING mode, gives the same events and final states — and the same final states
 * as folding the archive through the model's logic directly.
 */
class BacktestITCase {

    private static final ObjectMapper JSON = Json.mapper();

    @Test
    void batchStreamingAndTheModelAgree(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("archive.ndjson.gz");
        assertThat(
                        new CommandLine(new GenerateCommand())
                                .execute(
                                        "--devices",
                                        "300",
                                        "--per-device",
                                        "40",
                                        "--interval",
                                        "7m",
                                        "--bad-every",
                                        "997",
                                        "--out",
                                        archive.toString()))
                .isZero();
        Path specs = Path.of(archive + ".specs.json");

        assertThat(run(specs, archive, dir.resolve("batch"), "batch")).isZero();
        assertThat(run(specs, archive, dir.resolve("streaming"), "streaming")).isZero();
        assertThat(run(specs, archive, dir.resolve("sorted"), "batch", "--sort", "always"))
                .isZero();

        Map<String, String> batchStates = states(dir.resolve("batch"));
        // 7 properties per device: temperature, vibration and the five operator outputs.
        assertThat(batchStates).hasSize(300 * 7).isEqualTo(states(dir.resolve("streaming")));
        Map<String, String> batchEvents = events(dir.resolve("batch"));
        assertThat(batchEvents)
                .hasSize(300 + countStateChanges(batchEvents))
                .isEqualTo(events(dir.resolve("streaming")));
        assertThat(batchStates).isEqualTo(reference(archive, specs));
        // The generated archive is in time order per device: the fast path ran, and gave what
        // Flink's sort gives.
        assertThat(states(dir.resolve("sorted"))).isEqualTo(batchStates);
        assertThat(events(dir.resolve("sorted"))).isEqualTo(batchEvents);

        JsonNode summary = JSON.readTree(dir.resolve("batch").resolve("summary.json").toFile());
        assertThat(summary.get("inputRecords").asLong()).isEqualTo(12_000);
        assertThat(summary.get("rejects").asLong()).isEqualTo(badLines(archive)).isPositive();
        assertThat(summary.get("twins").asLong()).isEqualTo(300);
        assertThat(summary.get("speedUpVersusRealTime").asLong()).isPositive();
        assertThat(summary.get("events").asText()).isEqualTo("all");
        assertThat(summary.get("twinOrder").asText()).isEqualTo("checked");
        assertThat(summary.get("sortReason").isNull()).isTrue();
        JsonNode sorted = JSON.readTree(dir.resolve("sorted").resolve("summary.json").toFile());
        assertThat(sorted.get("twinOrder").asText()).isEqualTo("sorted");
        assertThat(sorted.get("sortReason").asText()).isEqualTo("--sort always");
        assertThat(
                        JSON.readTree(dir.resolve("streaming").resolve("summary.json").toFile())
                                .get("twinOrder")
                                .asText())
                .isEqualTo("arrival");

        // Final states only: the same states, no events, a fraction of the output.
        assertThat(
                        new CommandLine(new BacktestCommand())
                                .execute(
                                        "--specs",
                                        specs.toString(),
                                        "--input",
                                        archive.toString(),
                                        "--out",
                                        dir.resolve("states-only").toString(),
                                        "--events",
                                        "none"))
                .isZero();
        assertThat(states(dir.resolve("states-only"))).isEqualTo(batchStates);
        assertThat(dir.resolve("states-only").resolve("events")).doesNotExist();
        assertThat(
                        JSON.readTree(dir.resolve("states-only").resolve("summary.json").toFile())
                                .get("outputBytes")
                                .asLong())
                .isLessThan(summary.get("outputBytes").asLong() / 4);
    }

    /**
     * The live journal as input (through the JDBC connector's source), results in the run tables:
     * three twins replayed with a count operator the live system did not have, one twin of a type
     * the candidate specs do not define (rejected, reported by reason), one observation that
     * arrived late in the live system (counted in STREAMING, which replays journal order). The live
     * tables stay untouched, and a run id is used once.
     */
    @Test
    void theJournalIsReplayedIntoRunTables(@TempDir Path dir) throws Exception {
        TestDatabase db = TestDatabase.h2().applySchema();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (Connection c = db.connect();
                PreparedStatement insert =
                        c.prepareStatement(
                                "INSERT INTO dtlab_journal (path, seq, idx, val, datetime) VALUES"
                                        + " (?, ?, 0, ?, ?)")) {
            for (int twin = 1; twin <= 3; twin++) {
                for (int seq = 1; seq <= 5; seq++) {
                    // m3's 4th observation was taken before its 3rd: it arrived late.
                    int minute = twin == 3 && seq == 4 ? 2 : seq * 10;
                    insert.setString(1, "machinery/m" + twin);
                    insert.setLong(2, seq);
                    insert.setDouble(3, twin * 100 + seq);
                    insert.setObject(
                            4,
                            OffsetDateTime.ofInstant(t0.plusSeconds(60L * minute), ZoneOffset.UTC));
                    insert.addBatch();
                }
            }
            insert.setString(1, "ghost/g1");
            insert.setLong(2, 1);
            insert.setDouble(3, 1);
            insert.setObject(4, OffsetDateTime.ofInstant(t0, ZoneOffset.UTC));
            insert.addBatch();
            insert.executeBatch();
        }
        Path specs = dir.resolve("specs.json");
        Files.writeString(
                specs,
                "[{\"v\":1,\"id\":\"1\",\"action\":\"create\",\"kind\":\"type\",\"name\":\"machinery\","
                    + "\"issued\":\"2026-01-01T00:00:00Z\",\"type\":{\"name\":\"machinery\",\"props\":[\"height\",\"count\"],"
                    + "\"operators\":[{\"name\":\"n\",\"implementation\":\"count\",\"input\":[0],\"output\":[1]}]}}]");

        for (String mode : List.of("batch", "streaming")) {
            assertThat(
                            new CommandLine(new BacktestCommand())
                                    .execute(
                                            "--specs",
                                            specs.toString(),
                                            "--input",
                                            "jdbc",
                                            "--jdbc.url",
                                            db.url(),
                                            "--jdbc.user",
                                            db.user(),
                                            "--out",
                                            dir.resolve(mode).toString(),
                                            "--mode",
                                            mode,
                                            "--run-id",
                                            "replay-" + mode))
                    .isZero();

            JsonNode summary = JSON.readTree(dir.resolve(mode).resolve("summary.json").toFile());
            assertThat(summary.get("input").asText()).isEqualTo("jdbc:dtlab_journal");
            assertThat(summary.get("inputRecords").asLong()).isEqualTo(16);
            assertThat(summary.get("twins").asLong()).isEqualTo(3);
            assertThat(summary.get("rejects").asLong()).isEqualTo(1);
            assertThat(summary.at("/rejectsByReason/0/count").asLong()).isEqualTo(1);
            assertThat(summary.at("/rejectsByReason/0/reason").asText())
                    .isEqualTo("type not defined");
            assertThat(summary.at("/rejectsByReason/0/example").asText()).contains("ghost/g1");
            // BATCH applies each twin in event-time order; STREAMING in journal order, as live did.
            assertThat(summary.get("lateObservations").asLong())
                    .isEqualTo(mode.equals("batch") ? 0 : 1);
            // Without the sort, m3's late observation ended the first run: BATCH ran again sorted.
            assertThat(summary.get("twinOrder").asText())
                    .isEqualTo(mode.equals("batch") ? "sorted" : "arrival");
            if (mode.equals("batch")) {
                assertThat(summary.get("sortReason").asText())
                        .startsWith("not in time order per twin: machinery/m3");
            }
        }

        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(*) FROM dtlab_backtest_runs")).isEqualTo(2);
            assertThat(
                            count(
                                    s,
                                    "SELECT COUNT(*) FROM dtlab_backtest_states WHERE run_id ="
                                            + " 'replay-batch'"))
                    .isEqualTo(3);
            // A Creation and a StateChange per observation (the count changes every time), per
            // twin.
            assertThat(
                            count(
                                    s,
                                    "SELECT COUNT(*) FROM dtlab_backtest_events WHERE run_id ="
                                            + " 'replay-streaming'"))
                    .isEqualTo(3 * 6);
            try (ResultSet r =
                    s.executeQuery(
                            "SELECT state FROM dtlab_backtest_states WHERE run_id = 'replay-batch'"
                                    + " AND path = 'machinery/m2'")) {
                assertThat(r.next()).isTrue();
                JsonNode state = JSON.readTree(r.getString(1));
                assertThat(state.findValues("value").stream().map(JsonNode::asDouble))
                        .containsExactly(205.0, 5.0);
            }
            for (String live : List.of("dtlab_events", "dtlab_twin_state", "dtlab_rejects")) {
                assertThat(count(s, "SELECT COUNT(*) FROM " + live))
                        .as(live + " is never written")
                        .isZero();
            }
            assertThat(count(s, "SELECT COUNT(*) FROM dtlab_journal")).isEqualTo(16);
        }

        // A run id has one set of results.
        assertThat(
                        new CommandLine(new BacktestCommand())
                                .execute(
                                        "--specs",
                                        specs.toString(),
                                        "--input",
                                        "jdbc",
                                        "--jdbc.url",
                                        db.url(),
                                        "--jdbc.user",
                                        db.user(),
                                        "--out",
                                        dir.resolve("again").toString(),
                                        "--run-id",
                                        "replay-batch"))
                .isEqualTo(1);
    }

    /**
     * An archive out of order per twin gives the sorted back-test's results: the run without the
     * sort stops at the first record older than its twin's previous one, and the back-test runs
     * again with the sort — nothing of the first run remains in the output.
     */
    @Test
    void anArchiveOutOfOrderGivesTheSortedResults(@TempDir Path dir) throws Exception {
        Path specs = dir.resolve("specs.json");
        Files.writeString(
                specs,
                "[{\"v\":1,\"id\":\"1\",\"action\":\"create\",\"kind\":\"type\",\"name\":\"machinery\","
                    + "\"issued\":\"2026-01-01T00:00:00Z\",\"type\":{\"name\":\"machinery\",\"props\":[\"height\",\"count\"],"
                    + "\"operators\":[{\"name\":\"n\",\"implementation\":\"count\",\"input\":[0],\"output\":[1]}]}}]");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<String> lines = new java.util.ArrayList<>();
        for (int minute = 1; minute <= 50; minute++) {
            for (int twin = 1; twin <= 4; twin++) {
                // m4's records come newest first: the archive is out of order for it only.
                int at = twin == 4 ? 51 - minute : minute;
                lines.add(
                        JSON.writeValueAsString(
                                TwinMessage.telemetry(
                                        "machinery/m" + twin,
                                        0,
                                        twin * 1000 + at,
                                        t0.plusSeconds(60L * at))));
            }
        }
        Path archive = Files.write(dir.resolve("archive.ndjson"), lines);

        assertThat(run(specs, archive, dir.resolve("auto"), "batch")).isZero();
        assertThat(run(specs, archive, dir.resolve("always"), "batch", "--sort", "always"))
                .isZero();

        JsonNode summary = JSON.readTree(dir.resolve("auto").resolve("summary.json").toFile());
        assertThat(summary.get("twinOrder").asText()).isEqualTo("sorted");
        assertThat(summary.get("sortReason").asText())
                .startsWith("not in time order per twin: machinery/m4");
        assertThat(summary.get("lateObservations").asLong()).isZero();
        assertThat(summary.get("inputRecords").asLong()).isEqualTo(200);
        assertThat(states(dir.resolve("auto")))
                .containsEntry("machinery/m4/0", "4050.0@2026-01-01T00:50:00.000Z")
                .containsEntry("machinery/m4/1", "50.0@2026-01-01T00:50:00.000Z")
                .isEqualTo(states(dir.resolve("always")));
        assertThat(events(dir.resolve("auto")))
                .hasSize(4 * 51)
                .isEqualTo(events(dir.resolve("always")));
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void badArgumentsAreOneLineErrors(@TempDir Path dir) throws IOException {
        Path specs = Files.writeString(dir.resolve("specs.json"), "[]");
        assertThat(
                        new CommandLine(new BacktestCommand())
                                .execute(
                                        "--specs",
                                        specs.toString(),
                                        "--input",
                                        "jdbc",
                                        "--out",
                                        dir.resolve("o").toString()))
                .as("--input jdbc without --jdbc.url")
                .isEqualTo(1);
        assertThat(
                        new CommandLine(new BacktestCommand())
                                .execute(
                                        "--specs",
                                        specs.toString(),
                                        "--input",
                                        dir.toString(),
                                        "--out",
                                        dir.resolve("o").toString(),
                                        "--events",
                                        "some"))
                .as("--events some")
                .isEqualTo(1);
        assertThat(
                        new CommandLine(new BacktestCommand())
                                .execute(
                                        "--specs",
                                        specs.toString(),
                                        "--input",
                                        "jdbc",
                                        "--jdbc.url",
                                        "jdbc:postgresql://127.0.0.1:1/none",
                                        "--out",
                                        dir.resolve("o").toString()))
                .as("an unreachable database")
                .isEqualTo(1);
        assertThat(
                        new CommandLine(new BacktestCommand())
                                .execute(
                                        "--specs",
                                        dir.resolve("none.json").toString(),
                                        "--input",
                                        dir.toString(),
                                        "--out",
                                        dir.resolve("o").toString()))
                .isEqualTo(1);
    }

    private static int run(Path specs, Path archive, Path out, String mode, String... more) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "--specs",
                                specs.toString(),
                                "--input",
                                archive.toString(),
                                "--out",
                                out.toString(),
                                "--mode",
                                mode,
                                "--run-id",
                                "same"));
        args.addAll(List.of(more));
        return new CommandLine(new BacktestCommand()).execute(args.toArray(String[]::new));
    }

    /** path/idx → value@datetime of the final states, from states.csv. */
    private static Map<String, String> states(Path out) throws IOException {
        Map<String, String> states = new TreeMap<>();
        List<String> lines = Files.readAllLines(out.resolve("states.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            states.put(f[1] + "/" + f[5], f[7] + "@" + f[8]);
        }
        return states;
    }

    /** event id → the event's line. */
    private static Map<String, String> events(Path out) throws IOException {
        Map<String, String> events = new HashMap<>();
        try (var parts = Files.list(out.resolve("events"))) {
            for (Path part :
                    parts.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    events.put(JSON.readTree(line).get("id").asText(), line);
                }
            }
        }
        return events;
    }

    private static long badLines(Path archive) throws IOException {
        long bad = 0;
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(archive)),
                                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                try {
                    JSON.readValue(line, TwinMessage.class);
                } catch (Exception e) {
                    bad++;
                }
            }
        }
        return bad;
    }

    private static int countStateChanges(Map<String, String> events) {
        return (int) events.keySet().stream().filter(id -> id.endsWith("#StateChange")).count();
    }

    /**
     * The archive folded through the Flink-free TwinMachine, one twin at a time, in event-time
     * order.
     */
    private static Map<String, String> reference(Path archive, Path specs) throws IOException {
        Registry registry =
                Registry.empty()
                        .apply(JSON.readValue(Files.readString(specs), ControlMessage.class))
                        .registry();
        Map<String, List<TwinMessage>> byTwin = new TreeMap<>();
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                new GZIPInputStream(Files.newInputStream(archive)),
                                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                try {
                    TwinMessage m = JSON.readValue(line, TwinMessage.class);
                    byTwin.computeIfAbsent(m.path(), p -> new java.util.ArrayList<>()).add(m);
                } catch (Exception e) {
                    // a bad line: rejected by the pipeline too
                }
            }
        }
        Map<String, String> states = new TreeMap<>();
        for (Map.Entry<String, List<TwinMessage>> twin : byTwin.entrySet()) {
            TwinState state = TwinState.EMPTY;
            List<TwinMessage> messages = twin.getValue();
            messages.sort(java.util.Comparator.comparing(TwinMessage::datetime));
            for (TwinMessage m : messages) {
                state = TwinMachine.onMessage(registry, TwinPath.parse(m.path()), state, m).state();
            }
            for (Telemetry t : state.properties()) {
                states.put(
                        twin.getKey() + "/" + t.idx(),
                        t.value() + "@" + org.dtlab.model.json.DateTimes.format(t.datetime()));
            }
        }
        return states;
    }
}
