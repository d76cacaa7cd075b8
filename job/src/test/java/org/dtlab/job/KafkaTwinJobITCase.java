package org.dtlab.job;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.connectors.testutils.TestReceiver;
import org.dtlab.job.config.TwinJobOptions;
import org.dtlab.job.testutils.Jobs;
import org.dtlab.job.testutils.Records;
import org.dtlab.job.testutils.TestJobOptions;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.spec.WebhookSpec;
import org.dtlab.model.spec.WebhookTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The production job end to end: records produced to a real Kafka broker, the job on a MiniCluster
 * with RocksDB and checkpoints, rows in a real PostgreSQL, POSTs to a real webhook receiver.
 */
class KafkaTwinJobITCase {

    private static final int TWINS = 20;
    private static final int PER_TWIN = 30;

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    /**
     * Every checkpoint is kept, so the one the second job restores is still there. The JobMaster
     * reads {@code num-retained} from the cluster's configuration, not the job's: set on the job,
     * it was ignored, the first job's checkpoints were subsumed while the test chose one, and the
     * restore failed now and then with "Cannot find checkpoint".
     */
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberSlotsPerTaskManager(4)
                            .setConfiguration(
                                    Configuration.fromMap(
                                            Map.of("execution.checkpointing.num-retained", "1000")))
                            .build());

    @Test
    void aJobCancelledMidStreamAndRestoredFromItsCheckpointLeavesAnExactJournal(
            @TempDir Path checkpoints) throws Exception {
        String prefix = "e2e" + System.nanoTime();
        TestDatabase db = TestDatabase.postgres();
        KAFKA.createTopics(2, prefix + ".observations");
        KAFKA.createTopics(1, prefix + ".control");
        try (TestReceiver receiver = TestReceiver.answering(202)) {
            TwinJobOptions options = options(prefix, db);
            URI hook = URI.create(receiver.url("/hooks/changes"));
            KAFKA.send(
                    prefix + ".control",
                    "type/machinery",
                    Records.createType(
                                    "machinery",
                                    List.of("height", "count", "max"),
                                    List.of(),
                                    List.of(Records.op("count", "count", List.of(0), List.of(1))))
                            .payload());
            KAFKA.send(
                    prefix + ".control",
                    "webhook/changes",
                    Records.json(
                            ControlMessage.createWebhook(
                                    "w1",
                                    Records.T0,
                                    new WebhookSpec(
                                            "changes",
                                            new WebhookTarget(
                                                    hook.getHost(),
                                                    hook.getPort(),
                                                    hook.getPath(),
                                                    false,
                                                    null),
                                            "*",
                                            null,
                                            EventType.STATE_CHANGE,
                                            null))));
            JobClient first = start(options, checkpoints, null);
            // Specs first, as a user defines them before sending data. These test records carry no
            // controlVersion, so nothing would hold them back (docs/decisions.md §8).
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> db.count("SELECT COUNT(*) FROM dtlab_specs") == 2);
            sendObservations(prefix, 0, PER_TWIN / 2);
            sendBadRecords(prefix);
            await().atMost(Duration.ofMinutes(2))
                    .failFast(() -> Jobs.assertNotFailed(first))
                    .until(
                            () ->
                                    db.count("SELECT COUNT(*) FROM dtlab_journal")
                                            >= TWINS * PER_TWIN / 4);
            Path restoreFrom =
                    await().atMost(Duration.ofMinutes(1))
                            .until(() -> firstCompletedCheckpoint(checkpoints), p -> p != null);
            Jobs.cancel(first);
            assertThat(restoreFrom.resolve("_metadata"))
                    .as("retained, not subsumed by a newer checkpoint")
                    .exists();

            // Restoring from a checkpoint replays everything the first job did after it:
            // the journal must still end with each row exactly once, and no state may regress.
            JobClient second = start(options, checkpoints, restoreFrom);
            sendObservations(prefix, PER_TWIN / 2, PER_TWIN);
            try {
                await().atMost(Duration.ofMinutes(2))
                        .failFast(() -> Jobs.assertNotFailed(second))
                        .untilAsserted(
                                () ->
                                        assertThat(
                                                        strings(
                                                                db,
                                                                "SELECT (SELECT COUNT(*) FROM"
                                                                    + " dtlab_journal) || ' rows, '"
                                                                    + " || (SELECT COUNT(*) FROM"
                                                                    + " dtlab_twin_state WHERE"
                                                                    + " version = "
                                                                        + PER_TWIN
                                                                        + ") || ' twins at the last"
                                                                        + " version'"))
                                                .containsExactly(
                                                        TWINS * PER_TWIN
                                                                + " rows, "
                                                                + TWINS
                                                                + " twins at the last version"));
                await().atMost(Duration.ofMinutes(1))
                        .until(() -> db.count("SELECT COUNT(*) FROM dtlab_rejects") == 5);
                await().atMost(Duration.ofMinutes(1))
                        .untilAsserted(
                                () ->
                                        assertThat(
                                                        receiver.received().stream()
                                                                .map(
                                                                        TestReceiver.Received
                                                                                ::idempotencyKey)
                                                                .distinct()
                                                                .count())
                                                .isEqualTo(TWINS * PER_TWIN));
            } finally {
                Jobs.cancel(second);
            }

            assertThat(
                            db.count(
                                    "SELECT COUNT(*) FROM (SELECT path FROM dtlab_journal GROUP BY"
                                            + " path HAVING COUNT(*) = "
                                            + PER_TWIN
                                            + " AND MIN(seq) = 1 AND MAX(seq) = "
                                            + PER_TWIN
                                            + ") t"))
                    .as("sequence numbers 1..N per twin: no gaps, no duplicates")
                    .isEqualTo(TWINS);
            assertThat(
                            db.count(
                                    "SELECT COUNT(*) FROM dtlab_journal j JOIN dtlab_twin_state s"
                                            + " ON s.path = j.path WHERE j.seq = "
                                            + PER_TWIN
                                            + " AND s.state LIKE '%{\"idx\":1,\"value\":"
                                            + PER_TWIN
                                            + ".0,%'"))
                    .as("the count operator saw every observation exactly once")
                    .isEqualTo(TWINS);
            assertThat(db.count("SELECT COUNT(*) FROM dtlab_events WHERE event_type = 'Creation'"))
                    .isEqualTo(TWINS);
            assertThat(db.count("SELECT COUNT(*) FROM dtlab_specs")).isEqualTo(2);
            assertThat(strings(db, "SELECT reason FROM dtlab_rejects ORDER BY reason"))
                    .satisfiesExactly(
                            r -> assertThat(r).startsWith("malformed JSON"),
                            r -> assertThat(r).startsWith("malformed JSON"),
                            r ->
                                    assertThat(r)
                                            .isEqualTo(
                                                    "record too large: 1048576 bytes (limit"
                                                            + " 262144)"),
                            r -> assertThat(r).isEqualTo("telemetry value must be a finite number"),
                            r -> assertThat(r).isEqualTo("type not defined"));
            assertThat(strings(db, "SELECT origin FROM dtlab_rejects"))
                    .allMatch(o -> o.startsWith(prefix + ".observations/"));
        }
    }

    private static TwinJobOptions options(String prefix, TestDatabase db) {
        return TestJobOptions.of(KAFKA, prefix, db, "--webhook.timeout-ms", "2000");
    }

    private static JobClient start(TwinJobOptions options, Path checkpoints, Path restoreFrom)
            throws Exception {
        Configuration conf = TwinJob.requiredConfiguration();
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("execution.checkpointing.interval", "200 ms");
        conf.setString(
                "execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION");
        if (restoreFrom != null) {
            conf.setString("execution.state-recovery.path", restoreFrom.toUri().toString());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        TwinJob.assemble(env, options);
        return env.executeAsync("dtlab e2e");
    }

    private static void sendObservations(String prefix, int from, int to) {
        List<Map.Entry<String, String>> records = new ArrayList<>();
        for (int n = from; n < to; n++) {
            int second = n;
            records.addAll(Records.machineryRound(TWINS, second, t -> second * 10 + t));
        }
        KAFKA.sendAll(prefix + ".observations", records);
    }

    private static void sendBadRecords(String prefix) {
        String topic = prefix + ".observations";
        KAFKA.send(topic, "x", "this is not json");
        KAFKA.send(topic, "x", "{\"path\":\"machinery/m1\",\"idx\":0,\"value\":\"high\"}");
        KAFKA.send(topic, "x", "{\"path\":\"machinery/m1\",\"idx\":0,\"value\":null}");
        KAFKA.send(topic, "ghost/g1", "{\"path\":\"ghost/g1\",\"idx\":0,\"value\":1}");
        byte[] huge = new byte[1024 * 1024];
        Arrays.fill(huge, (byte) ' ');
        KAFKA.send(topic, "x".getBytes(StandardCharsets.UTF_8), huge);
    }

    /**
     * The first checkpoint ({@code …/chk-N} with its metadata written) once a newer one is beside
     * it, or null — also when a running job removed a checkpoint while the directory was being
     * read. Metadata alone does not make a checkpoint complete: one being finalised when the job is
     * cancelled is discarded (asynchronously) after its metadata was written. With one checkpoint
     * at a time, a newer checkpoint's metadata shows that the older one had completed. The first is
     * the hardest to restore: the most to replay, and it may have been taken before the Kafka
     * source had found its partitions (decision 40).
     */
    private static Path firstCompletedCheckpoint(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> written =
                    files.filter(p -> p.getFileName().toString().equals("_metadata"))
                            .map(Path::getParent)
                            .sorted(
                                    Comparator.comparingLong(
                                            p ->
                                                    Long.parseLong(
                                                            p.getFileName()
                                                                    .toString()
                                                                    .substring(4))))
                            .toList();
            return written.size() >= 2 ? written.get(0) : null;
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return null;
            }
            throw e;
        }
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
