package org.dtlab.launcher.backtest;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;

import org.dtlab.connectors.journal.JournalOptions;
import org.dtlab.job.backtest.ArchiveFilter;
import org.dtlab.job.backtest.BacktestPipeline;
import org.dtlab.job.backtest.BacktestPipeline.TwinOrder;
import org.dtlab.job.backtest.JournalArchive;
import org.dtlab.job.runtime.OutOfOrderInputException;
import org.dtlab.launcher.DtlabHome;
import org.dtlab.launcher.backtest.BacktestExecution.FinishedJob;
import org.dtlab.launcher.cluster.FlinkRest;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.json.DateTimes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.annotation.Nullable;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

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
                + " touched. BATCH applies each twin's records in event-time order: without sorting"
                + " them while they arrive in that order (--sort auto).",
            "Writes to --out: events/ (NDJSON, one event per line), states.csv (final state, one"
                    + " row per twin property), rejects/ (NDJSON) and summary.json; with --jdbc.url"
                    + " also the tables dtlab_backtest_runs, dtlab_backtest_events and"
                    + " dtlab_backtest_states, keyed by run id.",
            "--input jdbc replays the live observation journal (dtlab_journal of --jdbc.url)"
                    + " instead of files."
        })
public final class BacktestCommand implements Callable<Integer> {

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
                            + " --jdbc.url.")
    String input;

    @Option(
            names = "--jdbc.url",
            description =
                    "A journal database: results go to its dtlab_backtest_* tables (never the live"
                            + " ones); with --input jdbc, its journal is the input.")
    String jdbcUrl;

    // No defaultValue: picocli would apply it over the value of the hidden --jdbc-user.
    @Option(names = "--jdbc.user", description = "Database user (with --jdbc.url; default: none).")
    String jdbcUser = "";

    @Option(
            names = "--jdbc.password",
            description = "Database password (with --jdbc.url; or DTLAB_JDBC_PASSWORD).")
    String jdbcPassword;

    // The spellings before the settings were unified (issue 17): still accepted, not shown.

    @Option(names = "--jdbc-url", hidden = true)
    void legacyJdbcUrl(String url) {
        jdbcUrl = url;
    }

    @Option(names = "--jdbc-user", hidden = true)
    void legacyJdbcUser(String user) {
        jdbcUser = user;
    }

    @Option(names = "--jdbc-password", hidden = true)
    void legacyJdbcPassword(String password) {
        jdbcPassword = password;
    }

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

    @Option(
            names = "--sort",
            defaultValue = "auto",
            description =
                    "BATCH: auto skips Flink's sort of each twin's records by event time while"
                            + " every twin's records arrive in time order, and runs again with"
                            + " the sort if one does not (same results, faster); always sorts"
                            + " (default: ${DEFAULT-VALUE}).")
    String sort;

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
            description =
                    "Parallel instances (default: 2; with --cluster, the cluster's task slots).")
    Integer parallelism;

    /** With {@code --cluster}: its task slots, read when the arguments are checked. */
    private int clusterSlots;

    @Option(
            names = "--cluster",
            description =
                    "Run on this Flink session cluster (its REST address, e.g."
                        + " http://127.0.0.1:8081 of 'dtlab cluster start') instead of in this"
                        + " process. Its TaskManagers read --input and write --out: give paths they"
                        + " see (this machine's, or a shared filesystem's).")
    String cluster;

    @Option(
            names = "--events",
            defaultValue = "all",
            description =
                    "Events to write: all, alarms (raised and cleared) or none (final states only)"
                            + " (default: ${DEFAULT-VALUE}).")
    String events;

    @Override
    public Integer call() throws Exception {
        Optional<String> problem = checkArguments();
        if (problem.isPresent()) {
            return fail(problem.get());
        }
        CandidateSpecs specs = CandidateSpecs.read(specsFile);
        String run = runId != null ? runId : defaultRunId();
        @Nullable BacktestResults results;
        try {
            results = openResultTables(run);
        } catch (IllegalArgumentException e) {
            return fail(e.getMessage());
        }
        BacktestOutput output = BacktestOutput.create(out);
        EventSelection selection = EventSelection.of(events);
        boolean batch = mode.equals("batch");
        TwinOrder order = batch && sort.equals("auto") ? TwinOrder.CHECKED : TwinOrder.SORTED;
        String sortReason = batch && order == TwinOrder.SORTED ? "--sort always" : null;
        double abandoned = 0;
        long started = System.nanoTime();
        FinishedJob job;
        try {
            job = runJob(specs, run, selection, results, output, order);
        } catch (Exception e) {
            Optional<Throwable> outOfOrder =
                    order == TwinOrder.CHECKED
                            ? ExceptionUtils.findThrowableWithMessage(
                                    e, OutOfOrderInputException.PREFIX)
                            : Optional.empty();
            if (outOfOrder.isEmpty()) {
                throw e;
            }
            // The archive is not in time order per twin: what the run wrote is dropped and the
            // back-test runs again with Flink's sort, which gives the right result for any order.
            abandoned = (System.nanoTime() - started) / 1e9;
            String message = outOfOrder.get().getMessage();
            sortReason = message.substring(message.indexOf(OutOfOrderInputException.PREFIX));
            System.out.printf(
                    "%ndtlab backtest: %s; running again with the sort (%.1f s spent)%n",
                    sortReason, abandoned);
            output.clearJobOutput();
            if (results != null) {
                results.discardEvents();
            }
            order = TwinOrder.SORTED;
            job = runJob(specs, run, selection, results, output, order);
        }
        String twinOrder = !batch ? "arrival" : order == TwinOrder.CHECKED ? "checked" : "sorted";
        BacktestSummary summary =
                summarise(
                        job,
                        specs,
                        run,
                        selection,
                        results,
                        output,
                        twinOrder,
                        sortReason,
                        abandoned);
        new SummaryPrinter(System.out).print(summary, out, results != null);
        return 0;
    }

    /** Builds the job in a new local cluster and runs it to its end. */
    private FinishedJob runJob(
            CandidateSpecs specs,
            String run,
            EventSelection selection,
            @Nullable BacktestResults results,
            BacktestOutput output,
            TwinOrder order)
            throws Exception {
        StreamExecutionEnvironment env = configureFlink(output, order);
        assemble(env, specs, run, selection, results, output, order);
        return runWithProgress(env, run, selection, output, order == TwinOrder.SORTED);
    }

    /** A one-line error on stderr, and the exit code of bad arguments. */
    private static int fail(String problem) {
        System.err.println("dtlab backtest: " + problem);
        return 1;
    }

    /** What is wrong with the arguments, in one line, if anything. */
    private Optional<String> checkArguments() throws IOException {
        if (!Files.isRegularFile(specsFile)) {
            return Optional.of("no specs file " + specsFile);
        }
        if (input.equals(JDBC_INPUT)) {
            if (jdbcUrl == null) {
                return Optional.of(
                        "--input jdbc reads the journal of --jdbc.url: pass --jdbc.url (and"
                                + " --jdbc.user, --jdbc.password)");
            }
        } else if (!Files.exists(Path.of(input))) {
            return Optional.of(
                    "no input "
                            + input
                            + " (a file or directory of NDJSON observations, or 'jdbc')");
        }
        if (parallelism != null && parallelism < 1) {
            return Optional.of("--parallelism must be at least 1, got " + parallelism);
        }
        if (cluster != null) {
            Optional<String> clusterProblem = checkCluster();
            if (clusterProblem.isPresent()) {
                return clusterProblem;
            }
        }
        if (!mode.equals("batch") && !mode.equals("streaming")) {
            return Optional.of("--mode must be batch or streaming, got '" + mode + "'");
        }
        if (!sort.equals("auto") && !sort.equals("always")) {
            return Optional.of("--sort must be auto or always, got '" + sort + "'");
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

    /**
     * Whether {@code --cluster} is a REST address that answers with task slots, and the job jar is
     * built.
     */
    private Optional<String> checkCluster() {
        URI rest;
        try {
            rest = new URI(cluster);
        } catch (URISyntaxException e) {
            rest = null;
        }
        if (rest == null
                || !"http".equals(rest.getScheme())
                || rest.getHost() == null
                || rest.getPort() < 0) {
            return Optional.of(
                    "--cluster takes a Flink REST address such as http://127.0.0.1:8081, got '"
                            + cluster
                            + "'");
        }
        try {
            clusterSlots =
                    new FlinkRest(cluster.replaceAll("/+$", ""))
                            .overview()
                            .path("slots-total")
                            .asInt();
        } catch (IOException e) {
            return Optional.of(
                    "no Flink cluster answers at "
                            + cluster
                            + ": "
                            + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()));
        }
        if (clusterSlots < 1) {
            return Optional.of("the Flink cluster at " + cluster + " has no task slots");
        }
        Path jar = DtlabHome.jobJar(DtlabHome.locate());
        if (!Files.isRegularFile(jar)) {
            return Optional.of(
                    "--cluster sends the cluster "
                            + jar
                            + ", which is missing: build it with 'mvn -DskipTests package'");
        }
        return Optional.empty();
    }

    /** {@code --parallelism}, or its default: 2, or on a cluster every task slot it has. */
    private int parallelism() {
        return parallelism != null ? parallelism : cluster != null ? clusterSlots : 2;
    }

    private static String defaultRunId() {
        return "backtest-" + DateTimes.format(Instant.now()).replace(':', '-');
    }

    /**
     * With {@code --jdbc.url}, the run's result tables, checked to be reachable and free for the
     * run id; without, null.
     *
     * @throws IllegalArgumentException with a one-line reason why they cannot take the results
     */
    @Nullable
    private BacktestResults openResultTables(String run) throws SQLException {
        if (jdbcUrl == null) {
            return null;
        }
        String password =
                jdbcPassword != null
                        ? jdbcPassword
                        : System.getenv().getOrDefault("DTLAB_JDBC_PASSWORD", "");
        return BacktestResults.open(JournalOptions.of(jdbcUrl, jdbcUser, password), run);
    }

    /**
     * A local cluster in this process configured for the run or, with {@code --cluster}, the
     * session cluster there, sent the jars of the job and of this command.
     */
    private StreamExecutionEnvironment configureFlink(BacktestOutput output, TwinOrder order)
            throws IOException {
        RuntimeExecutionMode runtimeMode =
                mode.equals("batch") ? RuntimeExecutionMode.BATCH : RuntimeExecutionMode.STREAMING;
        Configuration conf = BacktestConfiguration.of(runtimeMode, output.checkpoints(), order);
        StreamExecutionEnvironment env;
        if (cluster == null) {
            env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        } else {
            BacktestConfiguration.onSessionCluster(conf);
            URI rest = URI.create(cluster);
            Path home = DtlabHome.locate();
            env =
                    StreamExecutionEnvironment.createRemoteEnvironment(
                            rest.getHost(),
                            rest.getPort(),
                            conf,
                            DtlabHome.jobJar(home).toString(),
                            OwnClasses.jar().toString());
        }
        env.setParallelism(parallelism());
        return env;
    }

    /** Builds the job on {@code env}: the observations through the candidate specs to the sinks. */
    private void assemble(
            StreamExecutionEnvironment env,
            CandidateSpecs specs,
            String run,
            EventSelection selection,
            @Nullable BacktestResults results,
            BacktestOutput output,
            TwinOrder order) {
        Instant start = from == null ? Instant.MIN : DateTimes.parse(from);
        Instant end = to == null ? Instant.MAX : DateTimes.parse(to);
        ArchiveFilter filter =
                new ArchiveFilter(
                        from == null ? Long.MIN_VALUE : start.toEpochMilli(),
                        to == null ? Long.MAX_VALUE : end.toEpochMilli(),
                        twins);
        DataStream<String> lines =
                results != null && input.equals(JDBC_INPUT)
                        ? BacktestPipeline.journal(
                                env, JournalArchive.source(results.journal(), start, end, twins))
                        : BacktestPipeline.files(env, Path.of(input));
        new BacktestGraph(
                        run, selection, events, output, results == null ? null : results.journal())
                .assemble(env, lines, specs.messages(), filter, order);
    }

    /** Runs the job to its end, with the progress line on the terminal. */
    private static FinishedJob runWithProgress(
            StreamExecutionEnvironment env,
            String run,
            EventSelection selection,
            BacktestOutput output,
            boolean sorts)
            throws Exception {
        // With every event written, the progress line knows how many there are to write.
        BacktestProgress progress = new BacktestProgress(selection == EventSelection.ALL, sorts);
        return new BacktestExecution(progress, output, System.out)
                .execute(env, "DT Lab back-test " + run);
    }

    /**
     * Reduces what the job wrote to the final states and the summary, and writes both: to the
     * output directory and, with {@code --jdbc.url}, to the result tables.
     */
    private BacktestSummary summarise(
            FinishedJob job,
            CandidateSpecs specs,
            String run,
            EventSelection selection,
            @Nullable BacktestResults results,
            BacktestOutput output,
            String twinOrder,
            @Nullable String sortReason,
            double abandonedSeconds)
            throws IOException, SQLException {
        Map<String, TwinSnapshot> states = output.takeFinalStates();
        RejectSummary rejects = RejectSummary.of(output.rejectFiles());
        output.writeStates(run, states, specs.registry());
        BacktestSummary summary =
                BacktestSummary.of(
                        run,
                        mode,
                        inputDescription(),
                        job,
                        rejects,
                        states.size(),
                        selection,
                        output.bytes(),
                        twinOrder,
                        sortReason,
                        abandonedSeconds,
                        parallelism(),
                        cluster);
        String summaryJson = summary.toJson();
        output.writeSummary(summaryJson);
        if (results != null) {
            results.finish(states.values(), summaryJson);
        }
        return summary;
    }

    private String inputDescription() {
        return input.equals(JDBC_INPUT)
                ? "jdbc:dtlab_journal"
                : Path.of(input).toAbsolutePath().toString();
    }
}
