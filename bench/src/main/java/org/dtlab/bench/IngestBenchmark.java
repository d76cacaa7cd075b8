package org.dtlab.bench;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.dtlab.connectors.kafka.RawRecordDeserializer;
import org.dtlab.job.TwinJob;
import org.dtlab.job.TwinOutputs;
import org.dtlab.job.config.EventTimeOptions;
import org.dtlab.job.config.TwinJobOptions;
import org.dtlab.job.runtime.ObservationParser;
import org.dtlab.job.runtime.TwinInput;
import org.dtlab.kafka.EmbeddedKafkaBroker;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.journal.JournalLimits;
import org.dtlab.model.telemetry.TwinPath;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ingest throughput, side by side in one invocation, over the same Kafka topic on this machine:
 *
 * <ol>
 *   <li><b>ceiling</b> — read the topic and parse each observation, nothing else (no state, no
 *       sink);
 *   <li><b>dtlab</b> — the twin job (RocksDB, checkpoints every 10 s) writing the journal, events
 *       and twin states to PostgreSQL;
 *   <li><b>dtlab without the database</b> — the same job with its outputs discarded, to tell the
 *       pipeline's cost from the database's;
 *   <li><b>flink-sql</b> — the same computation a user would write in Flink SQL instead: last
 *       value, count, min and max per twin property, upserted into a PostgreSQL table by the JDBC
 *       connector;
 *   <li><b>dtlab programmable</b>, with and without the database — the twin job as in 2 and 3, but
 *       its type (from a control topic of its own) also has 5 {@code expr} and 2 {@code alarm}
 *       operators ({@link #PROGRAMMABLE}): what expressions and alarms cost against the plain type;
 *   <li><b>dtlab into H2</b> — the plain twin job into a new embedded H2 database opened as {@code
 *       dtlab local} opens its own, over the first {@link #H2_OBSERVATIONS} observations at most (a
 *       topic of their own): {@code dtlab local}'s database path;
 * </ol>
 *
 * each over the whole topic as a bounded job, {@code runs} times, medians and spread reported (the
 * plain and the programmable job alternate which goes first from one run to the next). Then
 * <b>staleness</b>: the production job (unbounded) under a steady load, the time from producing a
 * tracer observation to seeing it in the twin's state row; and the RocksDB state size per twin.
 *
 * <p>Usage: {@code IngestBenchmark <jdbc-url> <user> <password> <twins> <observations> <runs>
 * <work-dir> [phases]}; prints a JSON object of results. {@code phases} (default {@code
 * ceiling,nodb,prog-nodb,dtlab,prog,h2,sql,live}) narrows a run down, e.g. to {@code prog-nodb} for
 * a profile.
 */
public final class IngestBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "dtlab.observations";

    /**
     * The h2 phase's input: the first observations of the same generator, as many as {@link
     * #H2_OBSERVATIONS} at most — the embedded database takes about a tenth of PostgreSQL's rate.
     */
    private static final String H2_TOPIC = "bench.h2";

    private static final long H2_OBSERVATIONS = 300_000;
    private static final String CONTROL = "dtlab.control";

    /** The control topic of the programmable variant: the same type name with more operators. */
    private static final String CONTROL_PROGRAMMABLE = "dtlab.control.programmable";

    private static final String ALL_PHASES = "ceiling,nodb,prog-nodb,dtlab,prog,h2,sql,live";

    /**
     * The twin whose value is the number of the last tracer sent: its state row shows which
     * arrived.
     */
    private static final String TRACER = "device/tracer";

    static final String TYPE =
            "{\"v\":1,\"id\":\"bench\",\"action\":\"create\",\"kind\":\"type\",\"name\":\"device\","
                + "\"issued\":\"2026-01-01T00:00:00Z\",\"type\":{\"name\":\"device\",\"props\":[\"value\",\"count\",\"min\",\"max\"],"
                + "\"operators\":[{\"name\":\"count\",\"implementation\":\"count\",\"input\":[0],\"output\":[1]},"
                + "{\"name\":\"min\",\"implementation\":\"min\",\"input\":[0],\"output\":[2]},"
                + "{\"name\":\"max\",\"implementation\":\"max\",\"input\":[0],\"output\":[3]}]}}";

    /**
     * What the programmable type adds to {@link #TYPE}: every operator runs on each observation
     * (input 0, {@code value}, uniform in 20-30); an alarm reads an expression's output of the same
     * step. Twin d gets an observation every {@code twins} x 10 ms of event time (1,000 s with
     * 100,000 twins), so the 5-minute alarm's deadline passes between two of its observations. The
     * values are independent draws, so the alarms are chatty: about one observation in seven raises
     * one (a heavy case for the events table).
     */
    static final List<ProgrammableType.Added> PROGRAMMABLE =
            List.of(
                    ProgrammableType.expr("fahrenheit", List.of(0), "value * 1.8 + 32"),
                    ProgrammableType.expr(
                            "jump", List.of(0), "has(prev.value) ? abs(value - prev.value) : 0.0"),
                    ProgrammableType.expr("clamped", List.of(0), "clamp(value, 21.0, 29.0)"),
                    ProgrammableType.expr(
                            "position",
                            List.of(0),
                            "max - min > 0.0 ? (value - min) / (max - min) : 0.5"),
                    ProgrammableType.expr(
                            "out_of_band", List.of(0), "value < 21.0 || value > 29.0 ? 1.0 : 0.0"),
                    ProgrammableType.alarm(
                            "too_hot", List.of(0), "value > 29.5", "value < 27.0", null, "minor"),
                    ProgrammableType.alarm(
                            "hot_for_5m",
                            List.of(0),
                            "fahrenheit > 84.2",
                            null,
                            "PT5M",
                            "warning"));

    private static final String PROGRAMMABLE_TYPE = programmableType();

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final int twins;
    private final long observations;
    private final Path work;
    private final String bootstrap;
    private final List<String> phases;

    private IngestBenchmark(
            String jdbcUrl,
            String user,
            String password,
            int twins,
            long observations,
            Path work,
            String bootstrap,
            List<String> phases) {
        this.phases = phases;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.twins = twins;
        this.observations = observations;
        this.work = work;
        this.bootstrap = bootstrap;
    }

    public static void main(String[] args) throws Exception {
        String jdbcUrl = args[0];
        int twins = Integer.parseInt(args[3]);
        long observations = Long.parseLong(args[4]);
        int runs = Integer.parseInt(args[5]);
        Path work = Path.of(args[6]);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0)) {
            List<String> phases = List.of((args.length > 7 ? args[7] : ALL_PHASES).split(","));
            IngestBenchmark bench =
                    new IngestBenchmark(
                            jdbcUrl,
                            args[1],
                            args[2],
                            twins,
                            observations,
                            work,
                            broker.bootstrapServers(),
                            phases);
            Map<String, Object> result = bench.run(runs);
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        }
        System.exit(0); // the MiniClusters' and the broker's leftover threads
    }

    private Map<String, Object> run(int runs) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("scenario", "ingest");
        result.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
        result.put("twins", twins);
        result.put("observations", observations);
        result.put("runs", runs);
        createTopics();
        result.put("produce", produce());
        if (phases.contains("h2")) {
            produceDevices(bootstrap, H2_TOPIC, twins, h2Observations());
            result.put("h2Observations", h2Observations());
        }

        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (String name :
                List.of(
                        "ceiling",
                        "dtlabWithoutDatabase",
                        "dtlabProgrammableWithoutDatabase",
                        "dtlab",
                        "dtlabProgrammable",
                        "dtlabIntoH2",
                        "flinkSql")) {
            rates.put(name, new ArrayList<>()); // the order of the result
        }
        Map<String, Map<String, Long>> events = new LinkedHashMap<>();
        Map<String, List<Double>> others = new LinkedHashMap<>();
        Double loadAtStart = MachineLoad.loadAverage();
        for (int run = 1; run <= runs; run++) {
            final int r = run;
            // The plain and the programmable job alternate which goes first, so neither always gets
            // the warmer JVM or the database right after the other's writes.
            boolean programmableFirst = run % 2 == 0;
            if (phases.contains("ceiling")) {
                measure("ceiling", rates, others, this::ceiling);
            }
            for (boolean programmable :
                    programmableFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (phases.contains(programmable ? "prog-nodb" : "nodb")) {
                    measure(
                            programmable
                                    ? "dtlabProgrammableWithoutDatabase"
                                    : "dtlabWithoutDatabase",
                            rates,
                            others,
                            () -> dtlabWithoutDatabase(r, programmable));
                }
            }
            for (boolean programmable :
                    programmableFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                if (phases.contains(programmable ? "prog" : "dtlab")) {
                    String variant = programmable ? "dtlabProgrammable" : "dtlab";
                    Map<String, Long> written =
                            events.computeIfAbsent(variant, k -> new TreeMap<>());
                    measure(variant, rates, others, () -> dtlab(r, programmable, written));
                }
            }
            if (phases.contains("h2")) {
                measure("dtlabIntoH2", rates, others, () -> dtlabIntoH2(r));
            }
            if (phases.contains("sql")) {
                measure("flinkSql", rates, others, () -> flinkSql(r));
            }
            System.err.printf("run %d: %s; other processes' cores: %s%n", run, rates, others);
        }
        rates.values().removeIf(List::isEmpty);
        Map<String, Object> machineLoad = new LinkedHashMap<>();
        machineLoad.put("loadAverage1mAtStart", loadAtStart);
        machineLoad.put("loadAverage1mAtEnd", MachineLoad.loadAverage());
        machineLoad.put(
                "otherProcessesCoresPerRun",
                others); // besides this JVM (jobs and broker) and PostgreSQL
        result.put("machineLoad", machineLoad);
        if (!Set.copyOf(phases).containsAll(List.of(ALL_PHASES.split(",")))) {
            result.put("observationsPerSecond", rates); // a partial run, for profiling
            return result;
        }
        Map<String, Object> throughput = new LinkedHashMap<>();
        rates.forEach((name, values) -> throughput.put(name, Stats.summary(values)));
        result.put("observationsPerSecond", throughput);
        double ours = Stats.median(rates.get("dtlab"));
        result.put("dtlabPerCore", Math.round(ours / Runtime.getRuntime().availableProcessors()));
        result.put("dtlabVersusFlinkSql", Stats.round2(ours / Stats.median(rates.get("flinkSql"))));
        result.put("dtlabVersusCeiling", Stats.round2(ours / Stats.median(rates.get("ceiling"))));
        result.put(
                "dtlabIntoH2VersusDtlab",
                Stats.round2(Stats.median(rates.get("dtlabIntoH2")) / ours));
        result.put(
                "dtlabProgrammableVersusDtlab",
                Stats.round2(Stats.median(rates.get("dtlabProgrammable")) / ours));
        result.put(
                "dtlabProgrammableVersusDtlabWithoutDatabase",
                Stats.round2(
                        Stats.median(rates.get("dtlabProgrammableWithoutDatabase"))
                                / Stats.median(rates.get("dtlabWithoutDatabase"))));
        Map<String, Object> programmable = new LinkedHashMap<>();
        programmable.put("type", ProgrammableType.describe(PROGRAMMABLE, 4, 3));
        programmable.put(
                "versusPlainPerRun",
                Stats.ratios(rates.get("dtlabProgrammable"), rates.get("dtlab")));
        programmable.put(
                "versusPlainWithoutDatabasePerRun",
                Stats.ratios(
                        rates.get("dtlabProgrammableWithoutDatabase"),
                        rates.get("dtlabWithoutDatabase")));
        programmable.put(
                "eventsWrittenPerRun",
                events); // by event type, plain and programmable (the last run)
        result.put("programmable", programmable);
        result.put("live", staleness(ours / 2));
        return result;
    }

    interface Rate {
        double measure() throws Exception;
    }

    /**
     * Runs one timed job, adding its rate to {@code rates} and what other processes used meanwhile
     * to {@code others}; prints when it ran to stderr.
     */
    static void measure(
            String name,
            Map<String, List<Double>> rates,
            Map<String, List<Double>> others,
            Rate job)
            throws Exception {
        MachineLoad start = MachineLoad.now();
        Instant from = Instant.now();
        rates.get(name).add(job.measure());
        others.computeIfAbsent(name, k -> new ArrayList<>()).add(MachineLoad.otherCores(start));
        System.err.printf(
                "job %s from %s to %s%n",
                name, from, Instant.now()); // e.g. to cut a JFR recording (JfrSummary)
    }

    private static String programmableType() {
        try {
            return ProgrammableType.extend(TYPE, PROGRAMMABLE);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "the programmable type does not compile: " + e.getMessage(), e);
        }
    }

    // --- the shared input ---------------------------------------------------------------------

    private void createTopics() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(TOPIC, 4, (short) 1),
                                    new NewTopic(H2_TOPIC, 4, (short) 1),
                                    new NewTopic(CONTROL, 1, (short) 1),
                                    new NewTopic(CONTROL_PROGRAMMABLE, 1, (short) 1),
                                    new NewTopic("bench.live", 4, (short) 1)))
                    .all()
                    .get();
        }
    }

    private Map<String, Object> produce() throws Exception {
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(CONTROL, "type/device", TYPE)).get();
            producer.send(
                            new ProducerRecord<>(
                                    CONTROL_PROGRAMMABLE, "type/device", PROGRAMMABLE_TYPE))
                    .get();
        }
        return produceDevices(bootstrap, TOPIC, twins, observations);
    }

    /**
     * Produces {@code observations} to {@code topic}, one twin after the other ({@code device/d<i %
     * twins>}), {@code value} uniform in 20-30 (seed 42), 10 ms of event time apart from
     * 2026-01-01; returns how long it took.
     */
    static Map<String, Object> produceDevices(
            String bootstrap, String topic, int twins, long observations) {
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            SplittableRandom random = new SplittableRandom(42);
            Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
            for (long i = 0; i < observations; i++) {
                int twin = (int) (i % twins);
                String path = "device/d" + twin;
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                path,
                                observation(
                                        path,
                                        20 + random.nextDouble() * 10,
                                        t0.plusMillis(i * 10))));
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return Map.of(
                "seconds",
                Stats.round2(seconds),
                "observationsPerSecond",
                Math.round(observations / seconds));
    }

    static String observation(String path, double value, Instant at) {
        // controlVersion 1: the twin job holds it until the type (control version 1) has arrived.
        return observation(path, value, at, 1);
    }

    /**
     * An observation of idx 0 that the twin job holds until the control stream is at {@code
     * controlVersion}.
     */
    static String observation(String path, double value, Instant at, long controlVersion) {
        return String.format(
                Locale.ROOT,
                "{\"path\":\"%s\",\"idx\":0,\"value\":%.3f,\"datetime\":\"%s\",\"controlVersion\":%d}",
                path,
                value,
                at,
                controlVersion);
    }

    private KafkaProducer<String, String> producer() {
        return producer(bootstrap);
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    // --- the three jobs over the topic ---------------------------------------------------------

    private StreamExecutionEnvironment environment(String name) {
        return environment(work, name);
    }

    /**
     * A local environment as the bounded benchmark jobs use it: parallelism 2, RocksDB, checkpoints
     * every 10 s.
     */
    static StreamExecutionEnvironment environment(Path work, String name) {
        Configuration conf = TwinJob.requiredConfiguration();
        conf.setString("execution.checkpointing.interval", "10 s");
        conf.setString(
                "execution.checkpointing.dir",
                work.resolve("checkpoints").resolve(name).toUri().toString());
        conf.setString("taskmanager.memory.managed.size", "256m");
        conf.setString("parallelism.default", "2");
        return StreamExecutionEnvironment.createLocalEnvironment(conf);
    }

    private KafkaSource<RawRecord> bounded(String topic, String group) {
        return bounded(bootstrap, topic, group);
    }

    /** The whole of {@code topic} as it is now, from the beginning. */
    /**
     * The control input of a bounded run, whose specs are given to the job up front: one tombstone
     * (a bounded source needs an element), which changes nothing. A bounded run ends when its
     * sources do, and Flink fires no processing-time timer after that: observations held for a type
     * that came in on a control topic after the last observation had been read would never be
     * applied (CI saw a run journal none of its 2,000). The unbounded live job has no such end.
     */
    static DataStream<RawRecord> specsUpFront(StreamExecutionEnvironment env) {
        return env.fromData(
                        TypeInformation.of(RawRecord.class), RawRecord.of("specs", null, null, 0))
                .setParallelism(1);
    }

    static KafkaSource<RawRecord> bounded(String bootstrap, String topic, String group) {
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId(group)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .setDeserializer(new RawRecordDeserializer(256 * 1024))
                .build();
    }

    /** Read and parse only. */
    private double ceiling() throws Exception {
        StreamExecutionEnvironment env = environment("ceiling");
        env.fromSource(bounded(TOPIC, "ceiling"), WatermarkStrategy.noWatermarks(), "observations")
                .process(new ObservationParser(), TypeInformation.of(TwinInput.class))
                .sinkTo(new DiscardingSink<>());
        return timed(() -> env.execute("ceiling"));
    }

    /** A journal database: its URL (with the schema to use), user and password. */
    private record Database(String url, String user, String password) {

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }
    }

    /**
     * The twin job over the topic, bounded, into its own PostgreSQL schema; with the programmable
     * type if {@code programmable}. Puts the events it wrote, by type, into {@code events}.
     */
    private double dtlab(int run, boolean programmable, Map<String, Long> events) throws Exception {
        String name = (programmable ? "prog-" : "dtlab-") + run;
        Database db =
                new Database(
                        freshSchema((programmable ? "bench_prog_" : "bench_dtlab_") + run),
                        user,
                        password);
        return dtlab(name, db, TOPIC, observations, programmable, events);
    }

    /**
     * The plain twin job over {@link #H2_TOPIC} into a new embedded H2 database, opened as {@code
     * dtlab local} opens its own ({@code WRITE_DELAY=0}).
     */
    private double dtlabIntoH2(int run) throws Exception {
        Database db =
                new Database(
                        "jdbc:h2:file:"
                                + work.resolve("h2-" + run).resolve("dtlab")
                                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0",
                        "sa",
                        "");
        return dtlab("h2-" + run, db, H2_TOPIC, h2Observations(), false, new TreeMap<>());
    }

    private long h2Observations() {
        return Math.min(observations, H2_OBSERVATIONS);
    }

    private double dtlab(
            String name,
            Database db,
            String topic,
            long count,
            boolean programmable,
            Map<String, Long> events)
            throws Exception {
        StreamExecutionEnvironment env = environment(name);
        TwinJobOptions options =
                TwinJobOptions.fromArgs(
                        new String[] {
                            "--kafka.bootstrap",
                            bootstrap,
                            "--jdbc.url",
                            db.url(),
                            "--jdbc.user",
                            db.user(),
                            "--jdbc.password",
                            db.password()
                        },
                        Map.of());
        org.dtlab.model.journal.JournalSchema.apply(db.url(), db.user(), db.password());
        DataStream<RawRecord> observed =
                env.fromSource(
                        bounded(topic, name), WatermarkStrategy.noWatermarks(), "observations");
        DataStream<RawRecord> control = specsUpFront(env);
        TwinJob.sinkTo(
                TwinJob.build(
                        observed,
                        control,
                        options.snapshotIntervalMs(),
                        EventTimeOptions.observationsOnly(),
                        List.of(programmable ? PROGRAMMABLE_TYPE : TYPE),
                        TwinPath.MAX_LEVELS),
                options);
        double rate =
                timed(count, () -> env.execute(programmable ? "dtlab programmable" : "dtlab"));
        long journaled = count(db, "SELECT COUNT(*) FROM dtlab_journal");
        if (journaled != count) {
            throw new IllegalStateException(
                    "the journal holds " + journaled + " of " + count + " observations");
        }
        // The programmable type ran: its twins' rows hold the added properties (the longest
        // state has the most; read as JSON here, so that H2 and PostgreSQL run the same query).
        long props = JSON.readTree(longestState(db)).size();
        long expected = 4 + (programmable ? PROGRAMMABLE.size() : 0);
        if (props != expected) {
            throw new IllegalStateException(
                    "twin states hold " + props + " properties, not " + expected);
        }
        events.clear(); // the same in every run: the last one's
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT event_type, COUNT(*) FROM dtlab_events GROUP BY"
                                        + " event_type")) {
            while (r.next()) {
                events.put(r.getString(1), r.getLong(2));
            }
        }
        return rate;
    }

    /** The twin job with its outputs discarded: what the pipeline costs without the database. */
    private double dtlabWithoutDatabase(int run, boolean programmable) throws Exception {
        String name = (programmable ? "prog-nodb-" : "nodb-") + run;
        StreamExecutionEnvironment env = environment(name);
        DataStream<RawRecord> observed =
                env.fromSource(
                        bounded(TOPIC, name), WatermarkStrategy.noWatermarks(), "observations");
        DataStream<RawRecord> control = specsUpFront(env);
        TwinOutputs outputs =
                TwinJob.build(
                        observed,
                        control,
                        500,
                        EventTimeOptions.observationsOnly(),
                        List.of(programmable ? PROGRAMMABLE_TYPE : TYPE),
                        TwinPath.MAX_LEVELS);
        outputs.events().sinkTo(new DiscardingSink<>());
        outputs.journal().sinkTo(new DiscardingSink<>());
        outputs.snapshots().sinkTo(new DiscardingSink<>());
        outputs.rejects().sinkTo(new DiscardingSink<>());
        return timed(
                () ->
                        env.execute(
                                programmable
                                        ? "dtlab programmable without database"
                                        : "dtlab without database"));
    }

    /** Last value, count, min, max per twin property in Flink SQL, upserted into PostgreSQL. */
    private double flinkSql(int run) throws Exception {
        String url = freshSchema("bench_sql_" + run);
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE twin_property (path "
                            + JournalLimits.varchar(JournalLimits.PATH)
                            + ", idx INTEGER, latest DOUBLE PRECISION, cnt BIGINT, min_value DOUBLE"
                            + " PRECISION, max_value DOUBLE PRECISION, PRIMARY KEY (path, idx))");
        }
        StreamExecutionEnvironment env = environment("sql-" + run);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.executeSql(
                "CREATE TABLE observations (path STRING, idx INT, `value` DOUBLE, `datetime`"
                        + " STRING) WITH ('connector' = 'kafka', 'topic' = '"
                        + TOPIC
                        + "', 'properties.bootstrap.servers' = '"
                        + bootstrap
                        + "',"
                        + "'properties.group.id' = 'sql-"
                        + run
                        + "', 'scan.startup.mode' = 'earliest-offset','scan.bounded.mode' ="
                        + " 'latest-offset', 'format' = 'json', 'json.ignore-parse-errors' ="
                        + " 'true')");
        tables.executeSql(
                "CREATE TABLE twin_property (path STRING, idx INT, latest DOUBLE, cnt BIGINT,"
                    + " min_value DOUBLE, max_value DOUBLE, PRIMARY KEY (path, idx) NOT ENFORCED)"
                    + " WITH ('connector' = 'jdbc', 'url' = '"
                        + url
                        + "', 'table-name' = 'twin_property',"
                        + "'username' = '"
                        + user
                        + "', 'password' = '"
                        + password
                        + "')");
        return timed(
                () ->
                        tables.executeSql(
                                        "INSERT INTO twin_property SELECT path, idx,"
                                            + " LAST_VALUE(`value`), COUNT(*), MIN(`value`),"
                                            + " MAX(`value`) FROM observations GROUP BY path, idx")
                                .await());
    }

    private interface Job {
        void run() throws Exception;
    }

    private double timed(Job job) throws Exception {
        return timed(observations, job);
    }

    /** {@code count} observations over the time {@code job} took. */
    private static double timed(long count, Job job) throws Exception {
        long started = System.nanoTime();
        job.run();
        return count / ((System.nanoTime() - started) / 1e9);
    }

    // --- staleness under a steady load, and state size per twin ----------------------------------

    private Map<String, Object> staleness(double rate) throws Exception {
        String url = freshSchema("bench_live");
        Path checkpoints = work.resolve("checkpoints").resolve("live");
        Configuration conf = TwinJob.requiredConfiguration();
        conf.setString("execution.checkpointing.interval", "5 s");
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("taskmanager.memory.managed.size", "256m");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        env.setParallelism(2);
        TwinJob.assemble(
                env,
                TwinJobOptions.fromArgs(
                        new String[] {
                            "--kafka.bootstrap",
                            bootstrap,
                            "--jdbc.url",
                            url,
                            "--jdbc.user",
                            user,
                            "--jdbc.password",
                            password,
                            "--kafka.observations-topic",
                            "bench.live",
                            "--kafka.group-id",
                            "live"
                        },
                        Map.of()));
        JobClient job = env.executeAsync("dtlab live");

        int seconds = observations < 100_000 ? 5 : 30;
        long perSecond = Math.max(100, Math.round(rate));
        Map<Long, Long> sent = new ConcurrentHashMap<>();
        List<Double> delays = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread poller = new Thread(() -> poll(url, sent, delays, running), "staleness-poller");
        poller.start();
        try (KafkaProducer<String, String> producer = producer()) {
            long started = System.nanoTime();
            long produced = 0;
            long tracer = 0;
            SplittableRandom random = new SplittableRandom(7);
            while (System.nanoTime() - started < seconds * 1_000_000_000L) {
                long due = (System.nanoTime() - started) * perSecond / 1_000_000_000L;
                for (; produced < due; produced++) {
                    String path = "device/d" + random.nextInt(twins);
                    producer.send(
                            new ProducerRecord<>(
                                    "bench.live",
                                    path,
                                    observation(path, random.nextDouble(), Instant.now())));
                    if (produced % Math.max(1, perSecond / 20) == 0) { // 20 tracers a second
                        tracer++;
                        sent.put(tracer, System.nanoTime());
                        producer.send(
                                new ProducerRecord<>("bench.live", TRACER, tracerLine(tracer)));
                    }
                }
                Thread.sleep(1);
            }
            producer.flush();
        }
        Thread.sleep(3_000); // the last tracers become visible
        running.set(false);
        poller.join();
        job.cancel().get();

        Map<String, Object> live = new LinkedHashMap<>();
        live.put("observationsPerSecond", perSecond);
        live.put("seconds", seconds);
        live.put("tracers", delays.size());
        List<Double> sorted = new ArrayList<>(delays);
        Collections.sort(sorted);
        live.put("stalenessMsP50", Stats.percentile(sorted, 0.50));
        live.put("stalenessMsP99", Stats.percentile(sorted, 0.99));
        long bytes = Stats.bytesUnder(checkpoints);
        long twinsWithState = count(url, "SELECT COUNT(*) FROM dtlab_twin_state");
        live.put("checkpointBytes", bytes);
        live.put("checkpointBytesPerTwin", twinsWithState == 0 ? null : bytes / twinsWithState);
        return live;
    }

    private static String tracerLine(long value) {
        return "{\"path\":\""
                + TRACER
                + "\",\"idx\":0,\"value\":"
                + value
                + ",\"datetime\":\""
                + Instant.now()
                + "\",\"controlVersion\":1}";
    }

    /**
     * Reads the tracer twin's state row; the first time it shows value k, k's staleness is known.
     */
    private void poll(
            String url, Map<Long, Long> sent, List<Double> delays, AtomicBoolean running) {
        long seen = 0;
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            while (running.get()) {
                try (ResultSet r =
                        s.executeQuery(
                                "SELECT state FROM dtlab_twin_state WHERE path = '"
                                        + TRACER
                                        + "'")) {
                    if (r.next()) {
                        JsonNode state = JSON.readTree(r.getString(1));
                        long value = 0;
                        for (JsonNode property : state) {
                            if (property.path("idx").asInt() == 0) {
                                value = property.path("value").asLong();
                            }
                        }
                        long now = System.nanoTime();
                        for (long k = seen + 1; k <= value; k++) {
                            Long at = sent.get(k);
                            if (at != null) {
                                delays.add((now - at) / 1e6);
                            }
                        }
                        seen = Math.max(seen, value);
                    }
                } catch (SQLException missingTableAtFirst) {
                    // the job creates the tables when it starts
                }
                Thread.sleep(5);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    private String freshSchema(String schema) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return jdbcUrl + ";SCHEMA=" + schema; // H2 takes settings after semicolons
        }
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private static String longestState(Database db) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r =
                        s.executeQuery(
                                "SELECT state FROM dtlab_twin_state WHERE path LIKE 'device/d%'"
                                        + " ORDER BY LENGTH(state) DESC LIMIT 1")) {
            return r.next() ? r.getString(1) : "[]";
        }
    }

    private long count(String url, String sql) throws SQLException {
        return count(new Database(url, user, password), sql);
    }

    private static long count(Database db, String sql) throws SQLException {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }
}
