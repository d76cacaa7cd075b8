package org.dtlab.job;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.connectors.testutils.TcpProxy;
import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.job.config.TwinJobOptions;
import org.dtlab.job.testutils.Jobs;
import org.dtlab.job.testutils.Records;
import org.dtlab.job.testutils.TestJobOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 18's "PostgreSQL hangs": a frozen server or a network partition, where connections stay
 * open and nothing answers. The production job (real Kafka broker, MiniCluster with RocksDB and
 * checkpoints) writes to a real PostgreSQL through a {@link TcpProxy} that the test freezes while
 * observations flow: no byte passes either way, no connection is closed. The writers' socket
 * timeout (3 s here) must fail their batches, so that the job fails over — instead of blocking
 * until Flink's task cancellation timeout kills the TaskExecutor — and, once the proxy is thawed,
 * resumes by itself with every observation in the journal and the state exactly once.
 */
class PostgresHangITCase {

    private static final int TWINS = 4;
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @Test
    void aHungDatabaseFailsTheJobOverAndTheJobResumesByItselfWhenItAnswersAgain(
            @TempDir Path checkpoints, @InjectMiniCluster MiniCluster cluster) throws Exception {
        String prefix = "hang" + System.nanoTime();
        String observations = prefix + ".observations";
        TestDatabase db = TestDatabase.postgres();
        KAFKA.createTopics(2, observations);
        KAFKA.createTopics(1, prefix + ".control");
        KAFKA.send(
                prefix + ".control",
                "type/machinery",
                Records.createType(
                                "machinery",
                                List.of("height", "count"),
                                List.of(),
                                List.of(Records.op("count", "count", List.of(0), List.of(1))))
                        .payload());
        AtomicInteger rounds = new AtomicInteger();
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", db.port())) {
            TwinJobOptions options =
                    TestJobOptions.of(
                            KAFKA,
                            prefix,
                            db.at(proxy.port()),
                            "--jdbc.writer.connect-timeout-ms",
                            "2000",
                            "--jdbc.writer.socket-timeout-ms",
                            String.valueOf(SOCKET_TIMEOUT.toMillis()));
            JobClient job = start(options, checkpoints);
            try {
                // The type first, as a user defines it before sending data: an observation of a
                // twin whose type is not known yet is rejected.
                await().atMost(Duration.ofMinutes(1))
                        .failFast(() -> Jobs.assertNotFailed(job))
                        .until(() -> db.count("SELECT COUNT(*) FROM dtlab_specs") == 1);
                feeder.scheduleWithFixedDelay(
                        () -> sendRound(observations, rounds), 0, 50, TimeUnit.MILLISECONDS);
                await().atMost(Duration.ofMinutes(1))
                        .failFast(() -> Jobs.assertNotFailed(job))
                        .until(() -> twinsAtLeastAt(db, 10) == TWINS);
                assertThat(Jobs.taskRestarts(cluster, job.getJobID())).isZero();

                // Frozen until the job has failed over: its writers must give up by themselves.
                proxy.stall();
                long frozenAt = System.nanoTime();
                await().atMost(Duration.ofMinutes(1))
                        .failFast(() -> Jobs.assertNotFailed(job))
                        .until(() -> Jobs.taskRestarts(cluster, job.getJobID()) > 0);
                Duration toFailover = since(frozenAt);
                assertThat(Jobs.lastFailure(cluster, job.getJobID()))
                        .as("the writers' timeout failed the job")
                        .contains("timed out");
                assertThat(toFailover).isGreaterThan(SOCKET_TIMEOUT);

                proxy.restore();
                long thawedAt = System.nanoTime();
                Duration frozen = Duration.ofNanos(thawedAt - frozenAt);
                int sentBeforeThaw = rounds.get();
                await().atMost(Duration.ofMinutes(1))
                        .failFast(() -> Jobs.assertNotFailed(job))
                        .until(() -> twinsAtLeastAt(db, sentBeforeThaw) == TWINS);
                Duration recovery = since(thawedAt);

                feeder.shutdown();
                assertThat(feeder.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                int sent = rounds.get();
                await().atMost(Duration.ofMinutes(1))
                        .failFast(() -> Jobs.assertNotFailed(job))
                        .untilAsserted(
                                () ->
                                        assertThat(versions(db))
                                                .as("each twin's version, %d sent", sent)
                                                .containsOnly(sent)
                                                .hasSize(TWINS));
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                assertThat(cluster.requestClusterOverview().get().getNumTaskManagersConnected())
                        .as("the TaskExecutor was not killed")
                        .isEqualTo(1);

                assertThat(
                                db.count(
                                        "SELECT COUNT(*) FROM (SELECT path FROM dtlab_journal"
                                                + " GROUP BY path HAVING COUNT(*) = "
                                                + sent
                                                + " AND MIN(seq) = 1 AND MAX(seq) = "
                                                + sent
                                                + ") t"))
                        .as("sequence numbers 1..%d per twin: no gaps, no duplicates", sent)
                        .isEqualTo(TWINS);
                assertThat(db.count("SELECT COUNT(*) FROM dtlab_journal")).isEqualTo(TWINS * sent);
                assertThat(db.count("SELECT COUNT(*) FROM dtlab_rejects")).isZero();
                assertThat(
                                db.count(
                                        "SELECT COUNT(*) FROM dtlab_twin_state WHERE version = "
                                                + sent
                                                + " AND state LIKE '%{\"idx\":1,\"value\":"
                                                + sent
                                                + ".0,%'"))
                        .as("the count operator saw every observation exactly once")
                        .isEqualTo(TWINS);
                System.out.printf(
                        "PostgreSQL hung (proxy frozen) %.1f s: the job failed over %.1f s after"
                                + " the freeze (%d task restarts); %.1f s after the thaw every"
                                + " observation sent before it was in the state; %d per twin in"
                                + " all, journal exact%n",
                        frozen.toMillis() / 1000.0,
                        toFailover.toMillis() / 1000.0,
                        Jobs.taskRestarts(cluster, job.getJobID()),
                        recovery.toMillis() / 1000.0,
                        sent);
            } finally {
                feeder.shutdownNow();
                Jobs.cancel(job);
            }
        }
    }

    private static JobClient start(TwinJobOptions options, Path checkpoints) throws Exception {
        Configuration conf = TwinJob.requiredConfiguration();
        conf.setString("execution.checkpointing.dir", checkpoints.toUri().toString());
        conf.setString("execution.checkpointing.interval", "500 ms");
        // As in dtlab local (flink-conf-templates/local.yaml).
        conf.setString("restart-strategy.type", "exponential-delay");
        conf.setString("restart-strategy.exponential-delay.initial-backoff", "1 s");
        conf.setString("restart-strategy.exponential-delay.max-backoff", "10 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        TwinJob.assemble(env, options);
        return env.executeAsync("dtlab postgres hang");
    }

    /** One observation per twin, its timestamp one second after the last; counts the round. */
    private static void sendRound(String topic, AtomicInteger rounds) {
        int round = rounds.get() + 1;
        KAFKA.sendAll(topic, Records.machineryRound(TWINS, round, t -> round));
        rounds.set(round);
    }

    /** Twins whose state has applied at least {@code observations} observations. */
    private static long twinsAtLeastAt(TestDatabase db, int observations) throws Exception {
        return db.count(
                "SELECT COUNT(*) FROM dtlab_twin_state WHERE path LIKE 'machinery/%' AND version"
                        + " >= "
                        + observations);
    }

    private static List<Integer> versions(TestDatabase db) throws Exception {
        List<Integer> versions = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT version FROM dtlab_twin_state WHERE path LIKE"
                                        + " 'machinery/%' ORDER BY path")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }
}
