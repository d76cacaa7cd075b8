package org.dtlab.job;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.job.config.TwinJobOptions;
import org.dtlab.job.testutils.Jobs;
import org.dtlab.job.testutils.Records;
import org.dtlab.job.testutils.TestJobOptions;
import org.dtlab.model.Limits;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.json.Json;
import org.dtlab.model.spec.TwinType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18's "a flood of malformed records on both topics": while good observations of a few twins
 * flow, both Kafka topics are flooded with thousands of records of every malformed kind. The
 * production job (real Kafka broker, MiniCluster with RocksDB and checkpoints, real PostgreSQL)
 * must turn each bad record into exactly one reject row with a reason, never restart, and apply
 * every good observation exactly once.
 *
 * <p>The one record of the control topic that is not a reject is a tombstone (a {@code null}
 * value): the control topic is compacted, a tombstone is how compaction deletes a key, and the job
 * and the query service both skip it (docs/deployment.md). The flood sends some and checks that
 * they leave no trace.
 */
class MalformedFloodITCase {

    private static final int TWINS = 6;
    private static final int PER_TWIN = 40;

    /** Bad records on the observations topic after each round of good ones (6,000 in all). */
    private static final int BAD_OBSERVATIONS_PER_ROUND = 150;

    /** Bad records on the control topic after each round of good observations (2,400 in all). */
    private static final int BAD_CONTROLS_PER_ROUND = 60;

    private static final int TOMBSTONES = 20;

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(
                                    Configuration.fromMap(
                                            // numRestarts fresh in the REST API within a second
                                            Map.of("metrics.fetcher.update-interval", "500 ms")))
                            .build());

    @Test
    void aFloodOfMalformedRecordsOnBothTopicsBecomesRejectRowsWithoutARestart(
            @InjectMiniCluster MiniCluster cluster,
            @InjectClusterRESTAddress URI rest,
            @TempDir Path checkpoints)
            throws Exception {
        String prefix = "flood" + System.nanoTime();
        String observations = prefix + ".observations";
        String control = prefix + ".control";
        TestDatabase db = TestDatabase.postgres();
        KAFKA.createTopics(2, observations);
        KAFKA.createTopics(1, control);
        KAFKA.send(
                control,
                "type/machinery",
                Records.createType(
                                "machinery",
                                List.of("height", "count"),
                                List.of(),
                                List.of(Records.op("count", "count", List.of(0), List.of(1))))
                        .payload());
        JobClient job = start(options(prefix, db), checkpoints);
        await().atMost(Duration.ofMinutes(1))
                .failFast(() -> Jobs.assertNotFailed(job))
                .until(() -> db.count("SELECT COUNT(*) FROM dtlab_specs") == 1);

        // Good observations in rounds, each round followed by its share of both floods.
        Random random = new Random(18);
        Map<String, String> bad = new HashMap<>(); // origin (topic/partition@offset) -> kind
        int badObservations = 0;
        int badControls = 0;
        long lastGoodSent = 0;
        for (int n = 0; n < PER_TWIN; n++) {
            int second = n;
            KAFKA.sendAll(observations, Records.machineryRound(TWINS, second, t -> second));
            lastGoodSent = System.nanoTime();
            List<Bad> round = new ArrayList<>();
            for (int i = 0; i < BAD_OBSERVATIONS_PER_ROUND; i++) {
                round.add(badObservation(badObservations++, random));
            }
            send(observations, round, bad);
            round.clear();
            for (int i = 0; i < BAD_CONTROLS_PER_ROUND; i++) {
                round.add(badControl(badControls++, random));
            }
            send(control, round, bad);
            if (n < TOMBSTONES) {
                KAFKA.sendAllBytes(
                        control,
                        List.of(new SimpleImmutableEntry<>(bytes("type/ghost" + n), null)));
            }
        }
        long floodEnd = System.nanoTime();

        Map<String, String> reasons;
        try {
            await().atMost(Duration.ofMinutes(2))
                    .failFast(() -> assertNeverRestarted(cluster, job))
                    .until(
                            () ->
                                    db.count("SELECT COUNT(*) FROM dtlab_journal")
                                            >= TWINS * PER_TWIN);
            long goodDone = System.nanoTime();
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .failFast(() -> assertNeverRestarted(cluster, job))
                    .untilAsserted(() -> assertThat(unrejected(bad, rejects(db))).isEmpty());
            long rejectsDone = System.nanoTime();
            System.out.printf(
                    "flood: %d bad observations, %d bad control records, %d good observations;"
                            + " the good twins' journal complete %d ms after their last"
                            + " observation was sent (%d ms after the flood ended), every reject"
                            + " written %d ms after it%n",
                    badObservations,
                    badControls,
                    TWINS * PER_TWIN,
                    (goodDone - lastGoodSent) / 1_000_000,
                    (goodDone - floodEnd) / 1_000_000,
                    (rejectsDone - floodEnd) / 1_000_000);

            // Never restarted: the execution graph's attempt numbers and Flink's own metric.
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertNeverRestarted(cluster, job);
            assertThat(Jobs.lastFailure(cluster, job.getJobID())).isEqualTo("none");
            await().atMost(Duration.ofSeconds(30)).until(() -> numRestarts(rest, job) != null);
            assertThat(numRestarts(rest, job)).as("Flink's numRestarts metric").isZero();
        } finally {
            Jobs.cancel(job);
        }

        // Every bad record exactly once (the origin, topic/partition@offset, is the rejects' key),
        // each with a reason; nothing else rejected.
        reasons = rejects(db);
        assertThat(reasons.keySet()).containsExactlyInAnyOrderElementsOf(bad.keySet());
        assertThat(reasons.values()).allSatisfy(reason -> assertThat(reason).isNotBlank());
        assertThat(new HashSet<>(reasons.values())).as("distinct reasons").hasSizeGreaterThan(40);
        // Tombstones and bad control records changed nothing: the one type is still the only spec.
        assertThat(strings(db, "SELECT spec_key FROM dtlab_specs"))
                .containsExactly("type/machinery");

        // The good twins' journal is exact: seq 1..N, each observation once, applied in order.
        assertThat(db.count("SELECT COUNT(*) FROM dtlab_journal")).isEqualTo(TWINS * PER_TWIN);
        assertThat(
                        db.count(
                                "SELECT COUNT(*) FROM (SELECT path FROM dtlab_journal GROUP BY path"
                                        + " HAVING COUNT(*) = "
                                        + PER_TWIN
                                        + " AND MIN(seq) = 1 AND MAX(seq) = "
                                        + PER_TWIN
                                        + ") t WHERE path LIKE 'machinery/m%'"))
                .isEqualTo(TWINS);
        assertThat(db.count("SELECT COUNT(*) FROM dtlab_journal WHERE seq <> val + 1"))
                .as("journal rows that are not the good observation of their sequence number")
                .isZero();
        assertThat(
                        db.count(
                                "SELECT COUNT(*) FROM dtlab_twin_state WHERE version = "
                                        + PER_TWIN
                                        + " AND state LIKE '%{\"idx\":1,\"value\":"
                                        + PER_TWIN
                                        + ".0,%'"))
                .as("the count operator saw every good observation exactly once")
                .isEqualTo(TWINS);
        assertThat(db.count("SELECT COUNT(*) FROM dtlab_twin_state")).isEqualTo(TWINS);
    }

    /** A malformed record of the flood, and what is malformed about it. */
    private record Bad(String kind, String key, Object value) {

        Bad(String kind, String key, Object value) {
            this.kind = kind;
            this.key = key;
            this.value = value instanceof String text ? bytes(text) : value;
        }

        SimpleImmutableEntry<byte[], byte[]> entry() {
            return new SimpleImmutableEntry<>(bytes(key), (byte[]) value);
        }
    }

    /** One kind of malformed record: its {@code n}-th instance is {@code value(n)}. */
    private record Kind(String name, IntFunction<Object> value) {}

    /**
     * The {@code i}-th bad observation record: each kind in turn, the expensive ones (records over
     * the size limit, huge keys, deep nesting) less often. Many are addressed to the good twins.
     */
    private static Bad badObservation(int i, Random random) {
        String good = "machinery/m" + (i % TWINS);
        if (i % 200 == 7) {
            return new Bad("oversize", good, oversize('o'));
        }
        if (i % 200 == 13) {
            return new Bad(
                    "huge key",
                    hugeKey(i),
                    "{\"path\":\"" + good + "\",\"idx\":0,\"value\":\"x\"}");
        }
        if (i % 200 == 17) {
            return new Bad("deep nesting", good, "[".repeat(5_000));
        }
        List<Kind> kinds =
                List.of(
                        new Kind("not JSON", n -> "this is not json " + n),
                        new Kind("idx a string", n -> telemetry(good, "\"zero\"", "1")),
                        new Kind("value a string", n -> telemetry(good, "0", "\"high\"")),
                        new Kind("value null", n -> telemetry(good, "0", "null")),
                        new Kind("value NaN", n -> telemetry(good, "0", "NaN")),
                        new Kind("value \"NaN\"", n -> telemetry(good, "0", "\"NaN\"")),
                        new Kind("value \"Infinity\"", n -> telemetry(good, "0", "\"-Infinity\"")),
                        new Kind("value 1e999", n -> telemetry(good, "0", "1e999")),
                        new Kind("value an object", n -> telemetry(good, "0", "{\"v\":1}")),
                        new Kind("value missing", n -> "{\"path\":\"" + good + "\",\"idx\":0}"),
                        new Kind("idx out of range", n -> telemetry(good, "99", "1")),
                        new Kind("idx negative", n -> telemetry(good, "-1", "1")),
                        new Kind("idx 2^31", n -> telemetry(good, "2147483648", "1")),
                        new Kind(
                                "unknown property",
                                n -> "{\"path\":\"" + good + "\",\"name\":\"colour\",\"value\":1}"),
                        new Kind(
                                "idx and name",
                                n ->
                                        "{\"path\":\""
                                                + good
                                                + "\",\"idx\":0,\"name\":\"count\",\"value\":1}"),
                        new Kind(
                                "unknown type",
                                n -> telemetry("ghost" + n % 50 + "/g" + n, "0", "1")),
                        new Kind("path without instance", n -> telemetry("machinery", "0", "1")),
                        new Kind("path of slashes", n -> telemetry("///", "0", "1")),
                        new Kind(
                                "path too deep",
                                n -> telemetry("a/b/".repeat(11) + "c/d", "0", "1")),
                        new Kind(
                                "path too long",
                                n -> telemetry("machinery/" + "m".repeat(200), "0", "1")),
                        new Kind(
                                "escaped NUL in path",
                                n -> telemetry("machinery/m\\u0000" + n, "0", "1")),
                        new Kind(
                                "lone surrogate in path",
                                n -> telemetry("ghost/\\ud800", "0", "1")),
                        new Kind("raw NUL in path", n -> telemetry(good + "\u0000", "0", "1")),
                        new Kind("path missing", n -> "{\"idx\":0,\"value\":1}"),
                        new Kind("path a number", n -> "{\"path\":42,\"idx\":0,\"value\":1}"),
                        new Kind(
                                "datetime out of range",
                                n -> telemetryAt(good, "\"-999999999-01-01T00:00:00Z\"")),
                        new Kind("datetime not a time", n -> telemetryAt(good, "\"yesterday\"")),
                        new Kind("datetime a boolean", n -> telemetryAt(good, "true")),
                        new Kind(
                                "unknown command",
                                n -> "{\"path\":\"" + good + "\",\"command\":\"explode\"}"),
                        new Kind(
                                "operator that does not compile",
                                n ->
                                        "{\"path\":\""
                                                + good
                                                + "\",\"command\":\"operator.put\",\"operator\":"
                                                + "{\"name\":\"x\",\"implementation\":\"expr\","
                                                + "\"expr\":\"((((1\",\"input\":[0],\"output\":[1]}}"),
                        new Kind(
                                "operator missing",
                                n -> "{\"path\":\"" + good + "\",\"command\":\"operator.put\"}"),
                        new Kind(
                                "text after the object",
                                n -> telemetry(good, "0", "1") + "{\"path\":1}"),
                        new Kind("a JSON array", n -> "[1,2,3]"),
                        new Kind("a JSON number", n -> "42"),
                        new Kind("JSON null", n -> "null"),
                        new Kind("an empty object", n -> "{}"),
                        new Kind("a JSON string", n -> "\"" + good + "\""),
                        new Kind("cut short", n -> "{\"path\":\"" + good + "\",\"idx\":0,\"va"),
                        new Kind("control characters", n -> "\u0000\u0001\u0002 junk " + n),
                        new Kind("not UTF-8", n -> garbage(random)),
                        new Kind("empty", n -> new byte[0]),
                        new Kind("blank", n -> "   \n\t "),
                        new Kind("no value at all", n -> null));
        Kind kind = kinds.get(i % kinds.size());
        return new Bad(kind.name(), i % 3 == 0 ? null : good, kind.value().apply(i));
    }

    /** The {@code i}-th bad control record: bad JSON, bad envelopes, bad specs, bad operations. */
    private static Bad badControl(int i, Random random) {
        if (i % 100 == 7) {
            return new Bad("oversize", "type/big", oversize('c'));
        }
        if (i % 100 == 13) {
            return new Bad("huge key", hugeKey(i), "{\"v\":1}");
        }
        if (i % 100 == 17) {
            return new Bad("deep nesting", "type/deep", "{\"a\":".repeat(3_000));
        }
        String name = "flood" + i;
        List<Kind> kinds =
                List.of(
                        new Kind("not JSON", n -> "not a control record " + n),
                        new Kind("not UTF-8", n -> garbage(random)),
                        new Kind("empty", n -> new byte[0]),
                        new Kind("blank", n -> " "),
                        new Kind("control characters", n -> "\u0000{\"v\":1}"),
                        new Kind("a JSON array", n -> "[]"),
                        new Kind("JSON null", n -> "null"),
                        new Kind("format v2", n -> with(createType(name), "v", 2)),
                        new Kind("format a string", n -> with(createType(name), "v", "one")),
                        new Kind("no id", n -> without(createType(name), "id")),
                        new Kind("no issued", n -> without(createType(name), "issued")),
                        new Kind(
                                "issued not a time", n -> with(createType(name), "issued", "soon")),
                        new Kind("unknown kind", n -> with(createType(name), "kind", "gizmo")),
                        new Kind(
                                "unknown action", n -> with(createType(name), "action", "explode")),
                        new Kind("no action", n -> without(createType(name), "action")),
                        new Kind("create without body", n -> without(createType(name), "type")),
                        new Kind("name differs", n -> with(createType(name), "name", "other" + n)),
                        new Kind(
                                "invalid name",
                                n -> without(createType(name).put("name", "bad name!"), "type")),
                        new Kind(
                                "props a string",
                                n -> withType(createType(name), "props", "height")),
                        new Kind(
                                "too many props",
                                n -> withType(createType(name), "props", manyProps())),
                        new Kind(
                                "alarm without a condition",
                                n ->
                                        withType(
                                                createType(name),
                                                "operators",
                                                operator("alarm", 0, 1))),
                        new Kind(
                                "duplicate operator names",
                                n ->
                                        withType(
                                                createType(name),
                                                "operators",
                                                operator("count", 0, 1)
                                                        .addAll(operator("count", 0, 1)))),
                        new Kind(
                                "expression output out of range",
                                n -> {
                                    ArrayNode ops = exprOperator("1.0");
                                    ((ObjectNode) ops.get(0))
                                            .set("output", Json.mapper().valueToTree(List.of(9)));
                                    return withType(createType(name), "operators", ops);
                                }),
                        new Kind(
                                "expression that does not parse",
                                n ->
                                        withType(
                                                createType(name),
                                                "operators",
                                                exprOperator("((((1"))),
                        new Kind(
                                "expression too deep",
                                n ->
                                        withType(
                                                createType(name),
                                                "operators",
                                                exprOperator(deepExpression()))),
                        new Kind("type name a number", n -> withType(createType(name), "name", 17)),
                        new Kind(
                                "delete of a missing spec",
                                n ->
                                        Records.json(
                                                ControlMessage.delete(
                                                        "d" + n, Records.T0, kind(n), name))),
                        new Kind(
                                "create of an existing type",
                                n -> createType("machinery").toString()),
                        new Kind(
                                "reserved type name",
                                n -> createType(TwinType.RESERVED_NAME).toString()),
                        new Kind(
                                "webhook without host",
                                n ->
                                        "{\"v\":1,\"id\":\"w"
                                                + n
                                                + "\",\"action\":\"create\",\"kind\":\"webhook\","
                                                + "\"name\":\""
                                                + name
                                                + "\",\"issued\":\"2026-01-01T00:00:00Z\","
                                                + "\"webhook\":{\"name\":\""
                                                + name
                                                + "\",\"target\":{\"host\":\"\",\"port\":-1}}}"),
                        new Kind(
                                "extractor of an unknown property",
                                n ->
                                        "{\"v\":1,\"id\":\"e"
                                                + n
                                                + "\",\"action\":\"create\","
                                                + "\"kind\":\"extractor.telemetry\",\"name\":\""
                                                + name
                                                + "\",\"issued\":\"2026-01-01T00:00:00Z\","
                                                + "\"telemetryExtractor\":{\"specId\":\""
                                                + name
                                                + "\",\"extractors\":[{\"paths\":[[{\"name\":"
                                                + "\"$.id\",\"typeId\":\"machinery\"}]],\"values\":"
                                                + "[{\"name\":\"colour\",\"typeId\":\"machinery\","
                                                + "\"path\":\"$.c\",\"valueType\":\"double\"}]}]}}"));
        Kind kind = kinds.get(i % kinds.size());
        return new Bad(kind.name(), i % 4 == 0 ? null : "type/" + name, kind.value().apply(i));
    }

    private static String telemetry(String path, String idx, String value) {
        return "{\"path\":\"" + path + "\",\"idx\":" + idx + ",\"value\":" + value + "}";
    }

    private static String telemetryAt(String path, String datetime) {
        return "{\"path\":\"" + path + "\",\"idx\":0,\"value\":1,\"datetime\":" + datetime + "}";
    }

    // -- the records' parts

    private static ObjectNode createType(String name) {
        return Json.mapper()
                .valueToTree(
                        ControlMessage.createType(
                                "id-" + name,
                                Records.T0,
                                new TwinType(name, List.of("height", "count"), null, null, null)));
    }

    private static String with(ObjectNode message, String field, Object value) {
        message.set(field, Json.mapper().valueToTree(value));
        return message.toString();
    }

    private static String without(ObjectNode message, String field) {
        message.remove(field);
        return message.toString();
    }

    private static String withType(ObjectNode message, String field, Object value) {
        ((ObjectNode) message.get("type")).set(field, Json.mapper().valueToTree(value));
        return message.toString();
    }

    private static ArrayNode operator(String implementation, int in, int out) {
        ArrayNode operators = Json.mapper().createArrayNode();
        operators
                .addObject()
                .put("name", "op")
                .put("implementation", implementation)
                .<ObjectNode>set("input", Json.mapper().valueToTree(List.of(in)))
                .set("output", Json.mapper().valueToTree(List.of(out)));
        return operators;
    }

    private static ArrayNode exprOperator(String expr) {
        ArrayNode operators = operator("expr", 0, 1);
        ((ObjectNode) operators.get(0)).put("expr", expr);
        return operators;
    }

    private static String deepExpression() {
        return "(".repeat(2_000) + "1" + ")".repeat(2_000);
    }

    private static List<String> manyProps() {
        List<String> props = new ArrayList<>();
        for (int p = 0; p <= Limits.MAX_PROPS; p++) {
            props.add("p" + p);
        }
        return props;
    }

    private static ControlMessage.Kind kind(int n) {
        return ControlMessage.Kind.values()[n % ControlMessage.Kind.values().length];
    }

    private static byte[] garbage(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(200)];
        random.nextBytes(bytes);
        bytes[0] = (byte) 0xff; // never valid UTF-8
        return bytes;
    }

    private static String oversize(char fill) {
        char[] text = new char[Limits.DEFAULT_MAX_RECORD_BYTES + 1000];
        Arrays.fill(text, fill);
        return new String(text);
    }

    private static String hugeKey(int i) {
        return ("key" + i + "-").repeat(20_000);
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    // -- the job and what it wrote

    private static TwinJobOptions options(String prefix, TestDatabase db) {
        return TestJobOptions.of(KAFKA, prefix, db);
    }

    /** The job as {@code dtlab local} runs it: checkpoints on, so a failure is a restart. */
    private static JobClient start(TwinJobOptions options, Path checkpoints) throws Exception {
        Configuration conf = TwinJob.requiredConfiguration();
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("execution.checkpointing.interval", "1 s");
        conf.setString("restart-strategy.type", "exponential-delay");
        conf.setString("restart-strategy.exponential-delay.initial-backoff", "100 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        TwinJob.assemble(env, options);
        return env.executeAsync("dtlab flood");
    }

    /** Sends the records and notes where each went, and its kind. */
    private static void send(String topic, List<Bad> records, Map<String, String> sent) {
        List<RecordMetadata> written =
                KAFKA.sendAllBytes(topic, records.stream().map(Bad::entry).toList());
        for (int r = 0; r < records.size(); r++) {
            RecordMetadata at = written.get(r);
            sent.put(at.topic() + "/" + at.partition() + "@" + at.offset(), records.get(r).kind());
        }
    }

    /** The kinds of the bad records without a reject row so far, and how many of each. */
    private static Map<String, Integer> unrejected(
            Map<String, String> bad, Map<String, String> rejects) {
        Map<String, Integer> kinds = new TreeMap<>();
        bad.forEach(
                (origin, kind) -> {
                    if (!rejects.containsKey(origin)) {
                        kinds.merge(kind, 1, Integer::sum);
                    }
                });
        return kinds;
    }

    /** The reject rows: origin to reason. */
    private static Map<String, String> rejects(TestDatabase db) throws Exception {
        Map<String, String> rows = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT origin, reason FROM dtlab_rejects")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }

    /** For Awaitility's {@code failFast}: the job neither failed nor restarted a task so far. */
    private static void assertNeverRestarted(MiniCluster cluster, JobClient job) throws Exception {
        Jobs.assertNotFailed(job);
        assertThat(Jobs.taskRestarts(cluster, job.getJobID()))
                .as("task restarts; last failure: %s", Jobs.lastFailure(cluster, job.getJobID()))
                .isZero();
    }

    /** Flink's {@code numRestarts} gauge of the job, through the REST API; null until fetched. */
    private static Long numRestarts(URI rest, JobClient job) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                rest.resolve(
                                                        "/jobs/"
                                                                + job.getJobID()
                                                                + "/metrics?get=numRestarts"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode metrics = Json.mapper().readTree(response.body());
        return metrics.isEmpty() ? null : metrics.get(0).get("value").asLong();
    }

    private static List<String> strings(TestDatabase db, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
