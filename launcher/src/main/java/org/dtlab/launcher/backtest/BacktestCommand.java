package org.dtlab.launcher.backtest;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.connectors.journal.JournalOptions;
import org.dtlab.connectors.journal.JournalSinks;
import org.dtlab.job.JobConstants;
import org.dtlab.job.TwinJob;
import org.dtlab.job.TwinOutputs;
import org.dtlab.job.backtest.ArchiveFilter;
import org.dtlab.job.backtest.BacktestPipeline;
import org.dtlab.job.backtest.JournalArchive;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.json.DateTimes;
import org.dtlab.model.json.Json;
import org.dtlab.model.telemetry.Telemetry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code dtlab backtest}: runs candidate specs over an archive of observations with the live
 * pipeline's logic, far faster than real time, and writes the events and final states to files.
 */
@Command(
        name = "backtest",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the twin pipeline over archived observations (NDJSON, one observation per line as"
                + " on dtlab.observations; .gz allowed; a file or a directory) with the specs in"
                + " --specs, in Flink BATCH mode (default) or STREAMING. Live state is never"
                + " touched.",
            "Writes to --out: events/ (NDJSON, one event per line), states.csv (final state, one"
                    + " row per twin property), rejects/ (NDJSON) and summary.json; with --jdbc-url"
                    + " also the tables dtlab_backtest_runs, dtlab_backtest_events and"
                    + " dtlab_backtest_states, keyed by run id.",
            "--input jdbc replays the live observation journal (dtlab_journal of --jdbc-url)"
                    + " instead of files."
        })
public final class BacktestCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = Json.mapper();
    private static final String JDBC_INPUT = "jdbc";

    @Option(
            names = "--specs",
            required = true,
            description =
                    "Control messages (types with operators, webhooks…) as a JSON array or one per"
                            + " line.")
    Path specsFile;

    @Option(
            names = "--input",
            required = true,
            description =
                    "An archive file or a directory of them, or 'jdbc': the journal table of"
                            + " --jdbc-url.")
    String input;

    @Option(
            names = "--jdbc-url",
            description =
                    "A journal database: results go to its dtlab_backtest_* tables (never the live"
                            + " ones); with --input jdbc, its journal is the input.")
    String jdbcUrl;

    @Option(
            names = "--jdbc-user",
            defaultValue = "",
            description = "Database user (with --jdbc-url).")
    String jdbcUser;

    @Option(
            names = "--jdbc-password",
            description = "Database password (with --jdbc-url; or DTLAB_JDBC_PASSWORD).")
    String jdbcPassword;

    @Option(
            names = "--out",
            required = true,
            description = "The directory to write the results to (created; must be empty).")
    Path out;

    @Option(
            names = "--mode",
            defaultValue = "batch",
            description =
                    "batch (event-time order per twin) or streaming (file order) (default:"
                            + " ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--from", description = "Only observations at or after this ISO-8601 instant.")
    String from;

    @Option(names = "--to", description = "Only observations before this ISO-8601 instant.")
    String to;

    @Option(
            names = "--twins",
            defaultValue = "",
            description = "Only twins whose path starts with this prefix, e.g. device/d1.")
    String twins;

    @Option(names = "--run-id", description = "Tags every result (default: backtest-<time>).")
    String runId;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Parallel instances (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--events",
            defaultValue = "all",
            description =
                    "Events to write: all, alarms (raised and cleared) or none (final states only)"
                            + " (default: ${DEFAULT-VALUE}).")
    String events;

    @Override
    public Integer call() throws Exception {
        Optional<String> problem = check();
        if (problem.isPresent()) {
            System.err.println("dtlab backtest: " + problem.get());
            return 1;
        }
        List<String> specs = readSpecs(specsFile);
        Registry registry = Registry.empty();
        for (String spec : specs) {
            registry = registry.apply(JSON.readValue(spec, ControlMessage.class)).registry();
        }
        String run =
                runId != null
                        ? runId
                        : "backtest-" + DateTimes.format(Instant.now()).replace(':', '-');
        Optional<BacktestResults> results = Optional.empty();
        if (jdbcUrl != null) {
            String password =
                    jdbcPassword != null
                            ? jdbcPassword
                            : System.getenv().getOrDefault("DTLAB_JDBC_PASSWORD", "");
            try {
                results =
                        Optional.of(
                                BacktestResults.open(
                                        JournalOptions.of(jdbcUrl, jdbcUser, password), run));
            } catch (IllegalArgumentException e) {
                System.err.println("dtlab backtest: " + e.getMessage());
                return 1;
            }
        }
        Files.createDirectories(out);

        boolean batch = mode.equals("batch");
        Configuration conf = TwinJob.requiredConfiguration();
        conf.set(
                org.apache.flink.configuration.ExecutionOptions.RUNTIME_MODE,
                batch ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING);
        if (!batch) {
            // Files are committed on checkpoints (and at the end of input).
            conf.setString("execution.checkpointing.interval", "5 s");
            conf.setString(
                    "execution.checkpointing.dir", out.resolve(".checkpoints").toUri().toString());
        }
        conf.setString("taskmanager.memory.managed.size", "256m");
        // The counters behind the progress line reach this client with the TaskManager's
        // heartbeats: once a second instead of Flink's default of every 10 s.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        env.setParallelism(parallelism);
        Instant start = from == null ? Instant.MIN : DateTimes.parse(from);
        Instant end = to == null ? Instant.MAX : DateTimes.parse(to);
        ArchiveFilter filter =
                new ArchiveFilter(
                        from == null ? Long.MIN_VALUE : start.toEpochMilli(),
                        to == null ? Long.MAX_VALUE : end.toEpochMilli(),
                        twins);
        DataStream<String> lines =
                results.isPresent() && input.equals(JDBC_INPUT)
                        ? BacktestPipeline.journal(
                                env,
                                JournalArchive.source(results.get().journal(), start, end, twins))
                        : BacktestPipeline.files(env, Path.of(input));
        // A long interval: about one state per twin, flushed at the end of input. (Separate
        // lambdas, not one method reference for both streams: Java deserializes two serializable
        // lambdas of the same method as one, and the second stream's records would be cast to the
        // first's type.)
        TwinOutputs outputs = BacktestPipeline.build(env, lines, specs, filter, 60_000);
        EventSelection selection = EventSelection.of(events);
        if (selection != EventSelection.NONE) {
            DataStream<TwinEvent> written =
                    selection == EventSelection.ALL
                            ? outputs.events()
                            : outputs.events()
                                    .filter(selection::keeps)
                                    .uid("dtlab-backtest-event-selection")
                                    .name("events: " + events);
            if (results.isPresent()) {
                written.sinkTo(JournalSinks.backtestEvents(results.get().journal(), run))
                        .uid("dtlab-backtest-events-jdbc");
            }
            written.map(new EventLine(run), Types.STRING)
                    .uid("dtlab-backtest-event-json")
                    .sinkTo(ndjson(out.resolve("events"), "events"))
                    .uid("dtlab-backtest-events");
        }
        outputs.snapshots()
                .map(state -> toJson(state), Types.STRING)
                .uid("dtlab-backtest-state-json")
                .sinkTo(ndjson(out.resolve(".states"), "states"))
                .uid("dtlab-backtest-states");
        outputs.rejects()
                .map(reject -> toJson(reject), Types.STRING)
                .uid("dtlab-backtest-reject-json")
                .sinkTo(ndjson(out.resolve("rejects"), "rejects"))
                .uid("dtlab-backtest-rejects");

        long started = System.nanoTime();
        JobClient job = env.executeAsync("DT Lab back-test " + run);
        CompletableFuture<JobExecutionResult> done = job.getJobExecutionResult();
        BacktestProgress progress = new BacktestProgress(selection == EventSelection.ALL);
        showProgress(job, done, started, out, progress);
        JobExecutionResult result = done.get();
        double wall = (System.nanoTime() - started) / 1e9;
        Map<String, Double> phases = progress.durations(wall);
        Map<String, TwinSnapshot> states = newest(out.resolve(".states"));
        RejectSummary rejects = RejectSummary.of(parts(out.resolve("rejects")));
        long rejectCount = rejects.total();
        Long lateCount = result.getAccumulatorResult(JobConstants.LATE_OBSERVATIONS);

        writeStates(run, states, registry, out.resolve("states.csv"));
        long records = result.<Long>getAccumulatorResult(JobConstants.RECORDS_READ);
        Long first = result.getAccumulatorResult(JobConstants.FIRST_EVENT_TIME);
        Long last = result.getAccumulatorResult(JobConstants.LAST_EVENT_TIME);
        double span = first == null || last == null || last < first ? 0 : (last - first) / 1000.0;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("runId", run);
        summary.put("mode", mode);
        summary.put(
                "input",
                input.equals(JDBC_INPUT)
                        ? "jdbc:dtlab_journal"
                        : Path.of(input).toAbsolutePath().toString());
        summary.put("inputRecords", records);
        summary.put("rejects", rejectCount);
        summary.put("rejectsByReason", rejects.byReason());
        // BATCH applies each twin's observations in event-time order; STREAMING in archive order.
        summary.put("lateObservations", lateCount == null ? 0 : lateCount);
        summary.put("twins", states.size());
        summary.put(
                "firstEventTime",
                first == null || first == Long.MAX_VALUE
                        ? null
                        : DateTimes.format(Instant.ofEpochMilli(first)));
        summary.put(
                "lastEventTime",
                last == null || last == Long.MIN_VALUE
                        ? null
                        : DateTimes.format(Instant.ofEpochMilli(last)));
        summary.put("eventTimeSpanSeconds", span);
        summary.put("wallSeconds", Math.round(wall * 100) / 100.0);
        summary.put("recordsPerSecond", Math.round(records / wall));
        summary.put("events", selection.name().toLowerCase(java.util.Locale.ROOT));
        long outputBytes = sizeOf(out);
        summary.put("outputBytes", outputBytes);
        // As the progress line saw them (to about a second): read, sort (BATCH), process, write.
        summary.put("phaseSeconds", phases);
        summary.put("speedUpVersusRealTime", span == 0 ? null : Math.round(span / wall));
        String summaryJson = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary);
        Files.writeString(out.resolve("summary.json"), summaryJson + "\n");
        if (results.isPresent()) {
            results.get().finish(states.values(), summaryJson);
        }
        System.out.printf(
                "%ndtlab backtest %s: %,d records (%,d rejected), %,d twins, %.0f s of event time"
                        + " in %.1f s: %,d records/s, %sx real time. %s written to %s%s%n",
                run,
                records,
                rejectCount,
                states.size(),
                span,
                wall,
                Math.round(records / wall),
                span == 0 ? "-" : Long.toString(Math.round(span / wall)),
                String.format(java.util.Locale.ROOT, "%,.0f MB", outputBytes / 1e6),
                out.toAbsolutePath(),
                results.isPresent()
                        ? " and the dtlab_backtest_* tables (run_id '" + run + "')"
                        : "");
        if (lateCount != null && lateCount > 0) {
            System.out.printf(
                    "  %,d observations were older than their twin's newest (applied in archive"
                            + " order)%n",
                    lateCount);
        }
        for (RejectSummary.Reason reason : rejects.byReason()) {
            System.out.printf(
                    "  rejected %,d × %s — e.g. %s%n",
                    reason.count(), reason.reason(), reason.example());
        }
        return 0;
    }

    /**
     * The bytes of the results under {@code dir}: what the run wrote. Not the checkpoints of a
     * STREAMING run, which Flink may still be deleting.
     */
    private static long sizeOf(Path dir) throws IOException {
        long[] bytes = {0};
        Files.walkFileTree(
                dir,
                new java.nio.file.SimpleFileVisitor<>() {
                    @Override
                    public java.nio.file.FileVisitResult preVisitDirectory(
                            Path d, java.nio.file.attribute.BasicFileAttributes a) {
                        return d.getFileName().toString().equals(".checkpoints")
                                ? java.nio.file.FileVisitResult.SKIP_SUBTREE
                                : java.nio.file.FileVisitResult.CONTINUE;
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFile(
                            Path f, java.nio.file.attribute.BasicFileAttributes a) {
                        bytes[0] += a.size();
                        return java.nio.file.FileVisitResult.CONTINUE;
                    }

                    @Override
                    public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                        return java.nio.file.FileVisitResult.CONTINUE; // gone meanwhile
                    }
                });
        return bytes[0];
    }

    private Optional<String> check() throws IOException {
        if (!Files.isRegularFile(specsFile)) {
            return Optional.of("no specs file " + specsFile);
        }
        if (input.equals(JDBC_INPUT)) {
            if (jdbcUrl == null) {
                return Optional.of(
                        "--input jdbc reads the journal of --jdbc-url: pass --jdbc-url (and"
                                + " --jdbc-user, --jdbc-password)");
            }
        } else if (!Files.exists(Path.of(input))) {
            return Optional.of(
                    "no input "
                            + input
                            + " (a file or directory of NDJSON observations, or 'jdbc')");
        }
        if (!mode.equals("batch") && !mode.equals("streaming")) {
            return Optional.of("--mode must be batch or streaming, got '" + mode + "'");
        }
        try {
            EventSelection.of(events);
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (Files.isDirectory(out)) {
            try (var entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    return Optional.of(
                            "the output directory " + out + " is not empty: choose another --out");
                }
            }
        }
        for (String instant : new String[] {from, to}) {
            if (instant != null) {
                try {
                    DateTimes.parse(instant);
                } catch (IllegalArgumentException e) {
                    return Optional.of(e.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    static List<String> readSpecs(Path file) throws IOException {
        String text = Files.readString(file).strip();
        List<String> specs = new ArrayList<>();
        if (text.startsWith("[")) {
            for (JsonNode spec : JSON.readTree(text)) {
                specs.add(JSON.writeValueAsString(spec));
            }
        } else {
            text.lines().filter(l -> !l.isBlank()).forEach(specs::add);
        }
        return specs;
    }

    private static String toJson(Object value) throws IOException {
        return Json.mapper().writeValueAsString(value);
    }

    /** An event as an NDJSON line of the output, counted as written. */
    static final class EventLine extends RichMapFunction<TwinEvent, String> {

        private static final long serialVersionUID = 1L;

        private final String run;
        private transient LongCounter written;

        EventLine(String run) {
            this.run = run;
        }

        @Override
        public void open(OpenContext openContext) {
            written = getRuntimeContext().getLongCounter(JobConstants.EVENTS_WRITTEN);
        }

        @Override
        public String map(TwinEvent event) throws IOException {
            written.add(1);
            return eventLine(run, event);
        }
    }

    private static String eventLine(String run, TwinEvent e) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("runId", run);
        line.put("id", e.id());
        line.put("eventType", e.type().jsonName());
        line.put("path", e.path());
        line.put("dtType", e.dtType());
        line.put("sequence", e.sequence());
        line.put("created", e.created());
        line.put("state", e.state());
        return Json.mapper().writeValueAsString(line);
    }

    private static FileSink<String> ndjson(Path dir, String prefix) {
        return FileSink.forRowFormat(
                        new org.apache.flink.core.fs.Path(dir.toUri()),
                        new SimpleStringEncoder<String>("UTF-8"))
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(
                        OutputFileConfig.builder()
                                .withPartPrefix(prefix)
                                .withPartSuffix(".ndjson")
                                .build())
                .build();
    }

    /**
     * The newest state per twin among the coalesced states the job wrote; the files are removed.
     */
    private static Map<String, TwinSnapshot> newest(Path dir) throws IOException {
        Map<String, TwinSnapshot> newest = new TreeMap<>();
        for (Path part : parts(dir)) {
            try (var lines = Files.lines(part)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    TwinSnapshot s = JSON.readValue(line, TwinSnapshot.class);
                    newest.merge(s.path(), s, (x, y) -> y.version() > x.version() ? y : x);
                }
            }
            Files.delete(part);
        }
        Files.deleteIfExists(dir);
        return newest;
    }

    /** The finished part files of a FileSink directory (in-progress files start with a dot). */
    static List<Path> parts(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /** One row per twin property: easy to load into pandas or Spark. */
    private static void writeStates(
            String run, Map<String, TwinSnapshot> states, Registry registry, Path file)
            throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
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

    /**
     * A progress line on the terminal while the job runs ({@link BacktestProgress}), refreshed once
     * a second, one line rewritten in place.
     */
    private void showProgress(
            JobClient job,
            CompletableFuture<?> done,
            long started,
            Path out,
            BacktestProgress progress) {
        long bytes = 0;
        int shown = 0;
        while (!done.isDone()) {
            try {
                Map<String, Object> counters = job.getAccumulators().get(5, TimeUnit.SECONDS);
                try {
                    bytes = sizeOf(out);
                } catch (IOException e) {
                    // a part file renamed while it was measured: the last size stands
                }
                double elapsed = (System.nanoTime() - started) / 1e9;
                String line =
                        "dtlab backtest: "
                                + progress.line(
                                        new BacktestProgress.Counters(
                                                counter(counters, JobConstants.RECORDS_READ),
                                                counter(counters, JobConstants.RECORDS_KEPT),
                                                readingDone(counters),
                                                counter(counters, JobConstants.MESSAGES_APPLIED),
                                                counter(counters, JobConstants.EVENTS_EMITTED),
                                                counter(counters, JobConstants.EVENTS_WRITTEN),
                                                bytes),
                                        elapsed);
                // spaces over the rest of a longer previous line
                System.out.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
                shown = line.length();
                System.out.flush();
                done.get(1, TimeUnit.SECONDS); // refresh once a second until the job is done
            } catch (java.util.concurrent.TimeoutException e) {
                // not done yet: refresh
            } catch (Exception e) {
                return; // the job ended while we asked; its result says how
            }
        }
    }

    /** Whether every archive reader that started has read all of its input. */
    private static boolean readingDone(Map<String, Object> counters) {
        long started = counter(counters, JobConstants.READERS_STARTED);
        return started > 0 && counter(counters, JobConstants.READERS_FINISHED) >= started;
    }

    private static long counter(Map<String, Object> counters, String name) {
        return counters.get(name) instanceof Long value ? value : 0;
    }
}
