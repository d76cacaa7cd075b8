package org.dtlab.bench;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.dtlab.connectors.kafka.RawRecordDeserializer;
import org.dtlab.job.JobConstants;
import org.dtlab.job.TwinJob;
import org.dtlab.job.TwinOutputs;
import org.dtlab.job.config.EventTimeOptions;
import org.dtlab.job.config.TwinJobOptions;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.journal.JournalSchema;
import org.dtlab.model.json.Json;
import org.dtlab.model.logic.CompiledType;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.spec.RollupSpec;
import org.dtlab.model.spec.TwinType;

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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What roll-ups cost (issue 13, item 8), in one JVM over one embedded Kafka broker, on this
 * machine:
 *
 * <ol>
 *   <li><b>throughput</b> — {@code parents x children} leaf twins ({@code site/s<p>/sensor/x<c>},
 *       type {@code sensor}: {@code temp} with {@code count}, {@code min}, {@code max} operators,
 *       as the ingest benchmark's type) under {@code parents} parents of type {@code site}, the
 *       whole topic read as a bounded job at parallelism 2 with the twin job's default 10 levels,
 *       outputs discarded: once with {@code site} rolling its children up ({@link #ROLLUPS}: {@code
 *       avg}, {@code max}, {@code count_where}), once with the same {@code site} without roll-ups.
 *       Same topic, same JVM, alternating which goes first, {@code runs} times; the ratio of the
 *       medians is what the roll-ups cost. With {@code db}, the same pair into PostgreSQL on a
 *       shorter topic;
 *   <li><b>staleness</b> — the production pipeline (unbounded Kafka source, 10 levels) fed at half
 *       the sustained roll-up rate with observations stamped with the wall clock at sending; a sink
 *       on the job's journal output records now − {@code datetime} for each parent's entry (its
 *       roll-up updated by a child's telemetry) and for each leaf's (the pipeline alone), with the
 *       out-of-orderness bound at each of the values given (e.g. its default 5,000 ms and 200 ms);
 *   <li><b>levels</b> — the ingest benchmark's plain workload (100,000 flat twins {@code
 *       device/d<i>}, no roll-ups, outputs discarded) with {@code --twins.levels} 10 (the default)
 *       against 1 (the graph of before roll-ups), alternating, {@code runs} times: what the
 *       unrolled graph costs twins that do not use it.
 * </ol>
 *
 * <p>Usage: {@code RollupBenchmark <jdbc-url> <user> <password> <parents> <children> <observations>
 * <flat-observations> <db-observations> <runs> <staleness-seconds> <warm-up-seconds>
 * <out-of-orderness-ms,...> <work-dir> [phases] [staleness-rate]}; prints a JSON object. {@code
 * phases} (default {@code nodb,levels,live,db}) narrows a run down; {@code staleness-rate} fixes
 * the rate of {@code live} (default: half the median roll-up rate of {@code nodb}, which must then
 * run first).
 */
public final class RollupBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "rollups.observations";
    private static final String CONTROL_ROLLUPS = "rollups.control";
    private static final String CONTROL_PLAIN = "rollups.control.plain";

    /** The live job's topic; one per live run, read from the beginning. */
    private static final String LIVE = "rollups.live.";

    private static final String FLAT = "flat.observations";
    private static final String FLAT_CONTROL = "flat.control";
    private static final String ALL_PHASES = "nodb,levels,live,db";
    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    private static final int LEVELS = 10;

    /**
     * The control version the observations wait for: both types (sensor, then site) defined, since
     * a leaf's path is checked against its parent's type (a sensor seen before the site type is
     * rejected).
     */
    private static final long TYPES = 2;

    /**
     * The leaf type: a temperature, with the ingest benchmark's {@code count}, {@code min}, {@code
     * max}.
     */
    static final TwinType SENSOR =
            new TwinType(
                    "sensor",
                    List.of("temp", "count", "min", "max"),
                    null,
                    List.of(operator("count", 1), operator("min", 2), operator("max", 3)),
                    null);

    /**
     * The parent's roll-ups over its sensors' {@code temp} (uniform in 20-30: about 1 in 10 is
     * hot).
     */
    static final List<RollupSpec> ROLLUPS =
            List.of(
                    new RollupSpec("avg_temp", "sensor", "temp", "avg", null, List.of(0)),
                    new RollupSpec("max_temp", "sensor", "temp", "max", null, List.of(1)),
                    new RollupSpec(
                            "sensors_hot",
                            "sensor",
                            "temp",
                            "count_where",
                            "temp > 29.0",
                            List.of(2)));

    static final TwinType SITE =
            new TwinType(
                    "site",
                    List.of("avg_temp", "max_temp", "sensors_hot"),
                    List.of("sensor"),
                    null,
                    ROLLUPS,
                    null);

    /** The same parent type without roll-ups: its sensors report nothing. */
    static final TwinType SITE_PLAIN =
            new TwinType("site", SITE.props(), SITE.children(), null, List.of(), null);

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final int parents;
    private final int children;
    private final long observations;
    private final long flatObservations;
    private final long dbObservations;
    private final Path work;
    private final String bootstrap;

    /** The specs each control topic holds, by topic. */
    private final Map<String, List<String>> specs = new LinkedHashMap<>();

    private RollupBenchmark(
            String jdbcUrl,
            String user,
            String password,
            int parents,
            int children,
            long observations,
            long flatObservations,
            long dbObservations,
            Path work,
            String bootstrap) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.parents = parents;
        this.children = children;
        this.observations = observations;
        this.flatObservations = flatObservations;
        this.dbObservations = dbObservations;
        this.work = work;
        this.bootstrap = bootstrap;
    }

    private static OperatorSpec operator(String implementation, int output) {
        return new OperatorSpec(
                implementation,
                implementation,
                null,
                List.of(0),
                List.of(output),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    public static void main(String[] args) throws Exception {
        int parents = Integer.parseInt(args[3]);
        int children = Integer.parseInt(args[4]);
        long observations = Long.parseLong(args[5]);
        long flatObservations = Long.parseLong(args[6]);
        long dbObservations = Long.parseLong(args[7]);
        int runs = Integer.parseInt(args[8]);
        int seconds = Integer.parseInt(args[9]);
        int warmUpSeconds = Integer.parseInt(args[10]);
        List<String> outOfOrderness = List.of(args[11].split(","));
        Path work = Path.of(args[12]);
        List<String> phases = List.of((args.length > 13 ? args[13] : ALL_PHASES).split(","));
        Double rate = args.length > 14 ? Double.valueOf(args[14]) : null;
        for (TwinType type : List.of(SENSOR, SITE, SITE_PLAIN)) {
            CompiledType.of(type); // a bad definition fails here, naming the field
        }
        try (org.dtlab.kafka.EmbeddedKafkaBroker broker =
                org.dtlab.kafka.EmbeddedKafkaBroker.start(work.resolve("kafka"), 0)) {
            RollupBenchmark bench =
                    new RollupBenchmark(
                            args[0],
                            args[1],
                            args[2],
                            parents,
                            children,
                            observations,
                            flatObservations,
                            dbObservations,
                            work,
                            broker.bootstrapServers());
            Map<String, Object> result =
                    bench.run(phases, runs, seconds, warmUpSeconds, outOfOrderness, rate);
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        }
        System.exit(0); // the MiniClusters' and the broker's leftover threads
    }

    private Map<String, Object> run(
            List<String> phases,
            int runs,
            int seconds,
            int warmUpSeconds,
            List<String> outOfOrdernesses,
            Double rate)
            throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("scenario", "rollups");
        result.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
        result.put("parents", parents);
        result.put("leaves", parents * children);
        result.put("observations", observations);
        result.put("runs", runs);
        result.put("levels", LEVELS);
        result.put(
                "rollups",
                ROLLUPS.stream()
                        .map(
                                r ->
                                        r.name()
                                                + " = "
                                                + r.agg()
                                                + "("
                                                + r.property()
                                                + (r.where() != null ? " where " + r.where() : "")
                                                + ")")
                        .toList());
        createTopics();
        Map<String, Object> machineLoad = new LinkedHashMap<>();
        machineLoad.put("loadAverage1mAtStart", MachineLoad.loadAverage());
        Map<String, List<Double>> others = new LinkedHashMap<>();

        if (phases.contains("nodb")) {
            result.put("produce", produce(TOPIC, observations));
            Map<String, List<Double>> rates = rates("withRollups", "withoutRollups");
            Map<String, Long> outOfOrder = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                final int r = run;
                for (boolean rollups : order(run)) {
                    String name = rollups ? "withRollups" : "withoutRollups";
                    IngestBenchmark.measure(
                            name, rates, others, () -> withoutDatabase(r, rollups, outOfOrder));
                }
                System.err.printf(
                        "nodb run %d: %s; other processes' cores: %s%n", run, rates, others);
            }
            Map<String, Object> nodb = summary(rates, "withRollups", "withoutRollups");
            nodb.put(
                    "outOfOrderApplicationsLastRun",
                    outOfOrder); // the job's dtlab-late-observations accumulator
            result.put("withoutDatabase", nodb);
            if (rate == null) {
                rate = Stats.median(rates.get("withRollups")) / 2;
            }
        }
        if (phases.contains("levels")) {
            result.put(
                    "produceFlat",
                    IngestBenchmark.produceDevices(
                            bootstrap, FLAT, parents * children, flatObservations));
            Map<String, List<Double>> rates = rates("levels10", "levels1");
            for (int run = 1; run <= runs; run++) {
                final int r = run;
                for (boolean ten : order(run)) {
                    IngestBenchmark.measure(
                            ten ? "levels10" : "levels1",
                            rates,
                            others,
                            () -> flat(r, ten ? LEVELS : 1));
                }
                System.err.printf(
                        "levels run %d: %s; other processes' cores: %s%n", run, rates, others);
            }
            Map<String, Object> levels = summary(rates, "levels10", "levels1");
            levels.put("observations", flatObservations);
            result.put("plainIngestLevels", levels);
        }
        if (phases.contains("live")) {
            if (rate == null) {
                throw new IllegalArgumentException(
                        "live needs the rate: run nodb first, or give it");
            }
            Map<String, Object> live = new LinkedHashMap<>();
            live.put("observationsPerSecond", Math.round(rate));
            live.put("measuredSeconds", seconds);
            live.put("warmUpSeconds", warmUpSeconds);
            for (String setting :
                    outOfOrdernesses) { // <ms>, or <ms>@<levels> for other than the default 10
                // levels
                long outOfOrderness = Long.parseLong(setting.split("@")[0]);
                int levels =
                        setting.contains("@") ? Integer.parseInt(setting.split("@")[1]) : LEVELS;
                MachineLoad start = MachineLoad.now();
                Map<String, Object> s =
                        staleness(Math.round(rate), seconds, warmUpSeconds, outOfOrderness, levels);
                s.put("otherProcessesCores", MachineLoad.otherCores(start));
                live.put(
                        "outOfOrderness"
                                + outOfOrderness
                                + "ms"
                                + (levels == LEVELS ? "" : "Levels" + levels),
                        s);
                System.err.printf(
                        "live, out-of-orderness %d ms, %d levels: %s%n", outOfOrderness, levels, s);
            }
            result.put("staleness", live);
        }
        if (phases.contains("db")) {
            result.put("produceDb", produce(TOPIC + ".db", dbObservations));
            Map<String, List<Double>> rates =
                    rates("withRollupsIntoPostgres", "withoutRollupsIntoPostgres");
            Map<String, Long> journaled = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                final int r = run;
                for (boolean rollups : order(run)) {
                    String name =
                            rollups ? "withRollupsIntoPostgres" : "withoutRollupsIntoPostgres";
                    IngestBenchmark.measure(
                            name, rates, others, () -> withDatabase(r, rollups, journaled));
                }
                System.err.printf(
                        "db run %d: %s; other processes' cores: %s%n", run, rates, others);
            }
            Map<String, Object> db =
                    summary(rates, "withRollupsIntoPostgres", "withoutRollupsIntoPostgres");
            db.put("observations", dbObservations);
            db.put("journalRowsLastRun", journaled);
            result.put("withDatabase", db);
        }
        machineLoad.put("loadAverage1mAtEnd", MachineLoad.loadAverage());
        machineLoad.put(
                "otherProcessesCoresPerRun",
                others); // besides this JVM (jobs and broker) and PostgreSQL
        result.put("machineLoad", machineLoad);
        return result;
    }

    private static Map<String, List<Double>> rates(String... names) {
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        for (String name : names) {
            rates.put(name, new ArrayList<>());
        }
        return rates;
    }

    /** Which variant goes first alternates from run to run: neither always gets the warmer JVM. */
    private static boolean[] order(int run) {
        return run % 2 == 1 ? new boolean[] {true, false} : new boolean[] {false, true};
    }

    /** Medians and spreads of both, the ratio of the medians and the ratio in each run. */
    private static Map<String, Object> summary(
            Map<String, List<Double>> rates, String a, String b) {
        Map<String, Object> s = new LinkedHashMap<>();
        Map<String, Object> perSecond = new LinkedHashMap<>();
        rates.forEach((name, values) -> perSecond.put(name, Stats.summary(values)));
        s.put("observationsPerSecond", perSecond);
        s.put(
                a + "Versus" + Character.toUpperCase(b.charAt(0)) + b.substring(1),
                Stats.round2(Stats.median(rates.get(a)) / Stats.median(rates.get(b))));
        s.put("ratioPerRun", Stats.ratios(rates.get(a), rates.get(b)));
        return s;
    }

    // --- input ---------------------------------------------------------------------------------

    private void createTopics() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(TOPIC, 4, (short) 1),
                                    new NewTopic(TOPIC + ".db", 4, (short) 1),
                                    new NewTopic(FLAT, 4, (short) 1),
                                    new NewTopic(CONTROL_ROLLUPS, 1, (short) 1),
                                    new NewTopic(CONTROL_PLAIN, 1, (short) 1),
                                    new NewTopic(FLAT_CONTROL, 1, (short) 1)))
                    .all()
                    .get();
        }
        specs.put(CONTROL_ROLLUPS, List.of(typeMessage(SENSOR), typeMessage(SITE)));
        specs.put(CONTROL_PLAIN, List.of(typeMessage(SENSOR), typeMessage(SITE_PLAIN)));
        specs.put(FLAT_CONTROL, List.of(IngestBenchmark.TYPE));
        // The topics serve the unbounded live runs; the bounded ones take the same specs up front.
        try (KafkaProducer<String, String> producer = IngestBenchmark.producer(bootstrap)) {
            producer.send(new ProducerRecord<>(CONTROL_ROLLUPS, "type/sensor", typeMessage(SENSOR)))
                    .get();
            producer.send(new ProducerRecord<>(CONTROL_ROLLUPS, "type/site", typeMessage(SITE)))
                    .get();
            producer.send(new ProducerRecord<>(CONTROL_PLAIN, "type/sensor", typeMessage(SENSOR)))
                    .get();
            producer.send(new ProducerRecord<>(CONTROL_PLAIN, "type/site", typeMessage(SITE_PLAIN)))
                    .get();
            producer.send(new ProducerRecord<>(FLAT_CONTROL, "type/device", IngestBenchmark.TYPE))
                    .get();
        }
    }

    private static String typeMessage(TwinType type) throws Exception {
        return Json.mapper()
                .writeValueAsString(
                        ControlMessage.createType("bench-" + type.name(), ISSUED, type));
    }

    /** Leaf {@code k} of {@code parents * children}: consecutive leaves have different parents. */
    private String leaf(int k) {
        return "site/s" + (k % parents) + "/sensor/x" + (k / parents);
    }

    /**
     * {@code count} observations of {@code temp}, the leaves one after the other, uniform in 20-30
     * (seed 42), 10 ms of event time apart from 2026-01-01 (as the ingest benchmark's).
     */
    private Map<String, Object> produce(String topic, long count) {
        long started = System.nanoTime();
        int leaves = parents * children;
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, String> producer = IngestBenchmark.producer(bootstrap)) {
            SplittableRandom random = new SplittableRandom(42);
            for (long i = 0; i < count; i++) {
                String path = leaf((int) (i % leaves));
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                path,
                                IngestBenchmark.observation(
                                        path,
                                        20 + random.nextDouble() * 10,
                                        ISSUED.plusMillis(i * 10),
                                        TYPES)),
                        (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(
                    failed.get() + " of " + count + " observations could not be produced");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return Map.of(
                "seconds",
                Stats.round2(seconds),
                "observationsPerSecond",
                Math.round(count / seconds));
    }

    // --- throughput ----------------------------------------------------------------------------

    /**
     * The twin job over the roll-up topic, bounded, outputs discarded but the journal counted by
     * level: all leaves' entries must be there, and parents' entries only with roll-ups.
     */
    private double withoutDatabase(int run, boolean rollups, Map<String, Long> outOfOrder)
            throws Exception {
        String name = (rollups ? "rollups-nodb-" : "plain-nodb-") + run;
        StreamExecutionEnvironment env = IngestBenchmark.environment(work, name);
        TwinOutputs outputs =
                pipeline(env, TOPIC, rollups ? CONTROL_ROLLUPS : CONTROL_PLAIN, name, LEVELS);
        outputs.events().sinkTo(new DiscardingSink<>());
        outputs.journal().sinkTo(new CountingSink(name));
        outputs.snapshots().sinkTo(new DiscardingSink<>());
        outputs.rejects().sinkTo(new RejectSink(name));
        long started = System.nanoTime();
        JobExecutionResult done =
                env.execute(
                        rollups
                                ? "dtlab roll-ups without database"
                                : "dtlab without roll-ups without database");
        double rate = observations / ((System.nanoTime() - started) / 1e9);
        long leaves = CountingSink.count(name, false);
        long parentEntries = CountingSink.count(name, true);
        RejectSink.check(name);
        if (leaves != observations || (parentEntries > 0) != rollups) {
            throw new IllegalStateException(
                    name
                            + ": the journal holds "
                            + leaves
                            + " leaf entries of "
                            + observations
                            + " and "
                            + parentEntries
                            + " parent entries");
        }
        Long late = done.getAccumulatorResult(JobConstants.LATE_OBSERVATIONS);
        outOfOrder.put(rollups ? "withRollups" : "withoutRollups", late == null ? 0 : late);
        outOfOrder.put(
                rollups ? "withRollupsParentJournalEntries" : "withoutRollupsParentJournalEntries",
                parentEntries);
        return rate;
    }

    /** The same pair into PostgreSQL, each in a fresh schema, checked by the journal's rows. */
    private double withDatabase(int run, boolean rollups, Map<String, Long> journaled)
            throws Exception {
        String name = (rollups ? "rollups-db-" : "plain-db-") + run;
        String url = freshSchema((rollups ? "bench_rollups_" : "bench_rollups_plain_") + run);
        StreamExecutionEnvironment env = IngestBenchmark.environment(work, name);
        TwinJobOptions options =
                TwinJobOptions.fromArgs(
                        new String[] {
                            "--kafka.bootstrap",
                            bootstrap,
                            "--jdbc.url",
                            url,
                            "--jdbc.user",
                            user,
                            "--jdbc.password",
                            password
                        },
                        Map.of());
        JournalSchema.apply(url, user, password);
        TwinJob.sinkTo(
                pipeline(
                        env,
                        TOPIC + ".db",
                        rollups ? CONTROL_ROLLUPS : CONTROL_PLAIN,
                        name,
                        LEVELS),
                options);
        long started = System.nanoTime();
        env.execute(rollups ? "dtlab roll-ups" : "dtlab without roll-ups");
        double rate = dbObservations / ((System.nanoTime() - started) / 1e9);
        long leaves = count(url, "SELECT COUNT(*) FROM dtlab_journal WHERE path LIKE '%/sensor/%'");
        long parentRows =
                count(url, "SELECT COUNT(*) FROM dtlab_journal WHERE path NOT LIKE '%/sensor/%'");
        if (leaves != dbObservations || (parentRows > 0) != rollups) {
            throw new IllegalStateException(
                    name
                            + ": the journal holds "
                            + leaves
                            + " leaf rows of "
                            + dbObservations
                            + " and "
                            + parentRows
                            + " parent rows");
        }
        journaled.put(rollups ? "withRollupsLeaves" : "withoutRollupsLeaves", leaves);
        journaled.put(rollups ? "withRollupsParents" : "withoutRollupsParents", parentRows);
        return rate;
    }

    /**
     * The ingest benchmark's plain job without the database, with {@code levels} twin operators.
     */
    private double flat(int run, int levels) throws Exception {
        String name = "flat-levels" + levels + "-" + run;
        StreamExecutionEnvironment env = IngestBenchmark.environment(work, name);
        TwinOutputs outputs = pipeline(env, FLAT, FLAT_CONTROL, name, levels);
        outputs.events().sinkTo(new DiscardingSink<>());
        outputs.journal().sinkTo(new DiscardingSink<>());
        outputs.snapshots().sinkTo(new DiscardingSink<>());
        outputs.rejects().sinkTo(new DiscardingSink<>());
        long started = System.nanoTime();
        env.execute("dtlab without database, " + levels + " levels");
        return flatObservations / ((System.nanoTime() - started) / 1e9);
    }

    /**
     * The twin pipeline over the whole of {@code topic} as it is now (bounded), as the ingest
     * benchmark builds it.
     */
    private TwinOutputs pipeline(
            StreamExecutionEnvironment env, String topic, String control, String name, int levels) {
        DataStream<org.dtlab.model.event.RawRecord> observed =
                env.fromSource(
                        IngestBenchmark.bounded(bootstrap, topic, name),
                        WatermarkStrategy.noWatermarks(),
                        "observations");
        // The control topic's specs, in effect from the start (see IngestBenchmark.specsUpFront).
        return TwinJob.build(
                observed,
                IngestBenchmark.specsUpFront(env),
                500,
                EventTimeOptions.observationsOnly(),
                specs.get(control),
                levels);
    }

    // --- staleness -----------------------------------------------------------------------------

    /**
     * The pipeline on an unbounded source (as deployed: 10 levels, checkpoints every 10 s, no idle
     * advance) under {@code perSecond} observations of random leaves stamped with the wall clock;
     * {@code seconds} measured after {@code warmUpSeconds}, then the load goes on for the
     * out-of-orderness plus 3 s so that event time passes the last measured ones.
     */
    private Map<String, Object> staleness(
            long perSecond, int seconds, int warmUpSeconds, long outOfOrderness, int levels)
            throws Exception {
        String name = "live-" + outOfOrderness + "-" + levels;
        String topic = LIVE + outOfOrderness + "." + levels;
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get();
        }
        Configuration conf = TwinJob.requiredConfiguration();
        conf.setString("execution.checkpointing.interval", "10 s");
        conf.setString(
                "execution.checkpointing.dir",
                work.resolve("checkpoints").resolve(name).toUri().toString());
        conf.setString("taskmanager.memory.managed.size", "256m");
        conf.setString("parallelism.default", "2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        DataStream<org.dtlab.model.event.RawRecord> observed =
                env.fromSource(
                        KafkaSource.<org.dtlab.model.event.RawRecord>builder()
                                .setBootstrapServers(bootstrap)
                                .setTopics(topic)
                                .setGroupId(name)
                                .setStartingOffsets(OffsetsInitializer.earliest())
                                .setDeserializer(new RawRecordDeserializer(256 * 1024))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "observations");
        DataStream<org.dtlab.model.event.RawRecord> control =
                env.fromSource(
                                KafkaSource.<org.dtlab.model.event.RawRecord>builder()
                                        .setBootstrapServers(bootstrap)
                                        .setTopics(CONTROL_ROLLUPS)
                                        .setGroupId(name + "-control")
                                        .setStartingOffsets(OffsetsInitializer.earliest())
                                        .setDeserializer(new RawRecordDeserializer(256 * 1024))
                                        .build(),
                                WatermarkStrategy.noWatermarks(),
                                "control")
                        .setParallelism(1);
        TwinOutputs outputs =
                TwinJob.build(
                        observed,
                        control,
                        500,
                        new EventTimeOptions(outOfOrderness, 0),
                        List.of(),
                        levels);
        outputs.events().sinkTo(new DiscardingSink<>());
        outputs.snapshots().sinkTo(new DiscardingSink<>());
        outputs.rejects().sinkTo(new DiscardingSink<>());
        // The MiniCluster starts, catches up with what was produced meanwhile, RocksDB warms.
        long from = System.currentTimeMillis() + warmUpSeconds * 1000L;
        long to = from + seconds * 1000L;
        outputs.journal().sinkTo(new StalenessSink(name, from, to));
        JobClient job = env.executeAsync("dtlab live, out-of-orderness " + outOfOrderness + " ms");
        int leaves = parents * children;
        long produced = 0;
        try (KafkaProducer<String, String> producer = IngestBenchmark.producer(bootstrap)) {
            long started = System.nanoTime();
            long end = to + outOfOrderness + 3_000;
            SplittableRandom random = new SplittableRandom(7);
            while (System.currentTimeMillis() < end) {
                long due = (System.nanoTime() - started) * perSecond / 1_000_000_000L;
                for (; produced < due; produced++) {
                    String path = leaf(random.nextInt(leaves));
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    path,
                                    IngestBenchmark.observation(
                                            path,
                                            20 + random.nextDouble() * 10,
                                            Instant.now(),
                                            TYPES)));
                }
                Thread.sleep(1);
            }
            producer.flush();
        }
        Thread.sleep(1_000);
        job.cancel().get();

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("outOfOrdernessMs", outOfOrderness);
        s.put("levels", levels);
        s.put("parent", StalenessSink.percentiles(name, true));
        s.put("leaf", StalenessSink.percentiles(name, false));
        long leafEntries = StalenessSink.count(name, false);
        long expected = perSecond * seconds;
        // The job kept up if the leaves' entries of the window are (nearly) all there.
        s.put("leafEntriesInWindowVersusSent", Stats.round2((double) leafEntries / expected));
        return s;
    }

    // --- sinks in this JVM ---------------------------------------------------------------------

    /** A parent of the benchmark's hierarchy: {@code site/s<p>}, one type/name pair. */
    static boolean isParent(String path) {
        return path.indexOf('/', path.indexOf('/') + 1) < 0;
    }

    /** Counts journal entries by parent/leaf under a name, in this JVM (the MiniCluster's). */
    static final class CountingSink implements Sink<JournalEntry> {
        private static final long serialVersionUID = 1L;
        private static final Map<String, AtomicLong[]> COUNTS = new ConcurrentHashMap<>();
        private final String name;

        CountingSink(String name) {
            this.name = name;
            COUNTS.put(name, new AtomicLong[] {new AtomicLong(), new AtomicLong()});
        }

        static long count(String name, boolean parents) {
            return COUNTS.get(name)[parents ? 1 : 0].get();
        }

        @Override
        public SinkWriter<JournalEntry> createWriter(WriterInitContext context) {
            AtomicLong[] counts = COUNTS.get(name);
            return new SinkWriter<>() {
                private long leaves;
                private long parentEntries;

                @Override
                public void write(JournalEntry entry, Context ctx) {
                    if (isParent(entry.path())) {
                        parentEntries++;
                    } else {
                        leaves++;
                    }
                }

                @Override
                public void flush(boolean endOfInput) {
                    counts[0].addAndGet(leaves);
                    counts[1].addAndGet(parentEntries);
                    leaves = 0;
                    parentEntries = 0;
                }

                @Override
                public void close() {
                    flush(true);
                }
            };
        }
    }

    /** Fails the benchmark on any reject (the first ones' reasons in the message). */
    static final class RejectSink implements Sink<org.dtlab.model.event.Reject> {
        private static final long serialVersionUID = 1L;
        private static final Map<String, ConcurrentLinkedQueue<String>> REJECTS =
                new ConcurrentHashMap<>();
        private final String name;

        RejectSink(String name) {
            this.name = name;
            REJECTS.put(name, new ConcurrentLinkedQueue<>());
        }

        static void check(String name) {
            ConcurrentLinkedQueue<String> rejects = REJECTS.get(name);
            if (!rejects.isEmpty()) {
                throw new IllegalStateException(
                        name
                                + ": "
                                + rejects.size()
                                + " rejects, e.g. "
                                + rejects.stream().limit(3).toList());
            }
        }

        @Override
        public SinkWriter<org.dtlab.model.event.Reject> createWriter(WriterInitContext context) {
            ConcurrentLinkedQueue<String> rejects = REJECTS.get(name);
            return new SinkWriter<>() {
                @Override
                public void write(org.dtlab.model.event.Reject reject, Context ctx) {
                    rejects.add(reject.key() + ": " + reject.reason() + " " + reject.payload());
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /**
     * Records now − {@code datetime} (ms) of each journal entry whose datetime is in [{@code from},
     * {@code to}), parents and leaves apart. The observations' datetime is the wall clock at
     * sending, and a parent's roll-up entry carries its child's, so a parent's figure is the time
     * from a child's telemetry to the parent's updated roll-up.
     */
    static final class StalenessSink implements Sink<JournalEntry> {
        private static final long serialVersionUID = 1L;
        private static final Map<String, ConcurrentLinkedQueue<List<Double>>[]> DELAYS =
                new ConcurrentHashMap<>();
        private final String name;
        private final long from;
        private final long to;

        @SuppressWarnings("unchecked")
        StalenessSink(String name, long from, long to) {
            this.name = name;
            this.from = from;
            this.to = to;
            DELAYS.put(
                    name,
                    new ConcurrentLinkedQueue[] {
                        new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>()
                    });
        }

        private static List<Double> all(String name, boolean parents) {
            List<Double> all = new ArrayList<>();
            for (List<Double> part : DELAYS.get(name)[parents ? 1 : 0]) {
                synchronized (part) {
                    all.addAll(part);
                }
            }
            return all;
        }

        static long count(String name, boolean parents) {
            return all(name, parents).size();
        }

        static Map<String, Object> percentiles(String name, boolean parents) {
            List<Double> sorted = all(name, parents);
            Collections.sort(sorted);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("entries", sorted.size());
            p.put("p50Ms", Stats.percentile(sorted, 0.50));
            p.put("p99Ms", Stats.percentile(sorted, 0.99));
            p.put("maxMs", sorted.isEmpty() ? null : Stats.round2(sorted.get(sorted.size() - 1)));
            return p;
        }

        @Override
        public SinkWriter<JournalEntry> createWriter(WriterInitContext context) {
            List<Double> parentDelays = new ArrayList<>();
            List<Double> leafDelays = new ArrayList<>();
            DELAYS.get(name)[1].add(parentDelays);
            DELAYS.get(name)[0].add(leafDelays);
            return new SinkWriter<>() {
                @Override
                public void write(JournalEntry entry, Context ctx) {
                    long at = entry.datetime().toEpochMilli();
                    if (at < from || at >= to) {
                        return;
                    }
                    double delay = System.currentTimeMillis() - at;
                    boolean parent = isParent(entry.path());
                    List<Double> delays = parent ? parentDelays : leafDelays;
                    synchronized (delays) {
                        delays.add(delay);
                    }
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
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

    private static long count(String url, String user, String password, String sql)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private long count(String url, String sql) throws SQLException {
        return count(url, user, password, sql);
    }
}
