package org.dtlab.launcher;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.kafka.EmbeddedKafkaBroker;
import org.dtlab.launcher.testutils.RunningSystem;
import org.dtlab.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka broker — its own process, as {@code bin/dtlab kafka} runs beside a cluster — SIGKILLed
 * while observations flow and reads run, and started again on its data: the twin job (never
 * restarted for it) and the query service resume by themselves, every acknowledged observation is
 * reflected exactly once (a write refused because Kafka did not confirm it in time may have landed
 * all the same — the client cannot tell — and count once too), reads answer throughout, and the
 * recovery time goes to {@code target/kafka-recovery.json}.
 */
class KafkaBrokerKillITCase {

    private static final ObjectMapper JSON = Json.mapper();
    private static final int TWINS = 5;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void theSystemResumesByItselfAfterTheBrokerIsKilledAndStartedAgain(@TempDir Path dir)
            throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        Path data = dir.resolve("kafka");
        Process broker = startBroker(port, data, dir.resolve("kafka-1.out"));
        AtomicBoolean feeding = new AtomicBoolean(true);
        try (RunningSystem system =
                RunningSystem.start("127.0.0.1:" + port, dir.resolve("checkpoints"))) {
            assertThat(
                            system.post(
                                            "/type/counter",
                                            "{\"props\":[\"value\",\"count\"],\"operators\":[{\"name\":\"n\","
                                                + "\"implementation\":\"count\",\"input\":[0],\"output\":[1]}]}")
                                    .statusCode())
                    .isEqualTo(201);

            // Value i is the i-th acknowledged observation of its twin: a 202 is a promise.
            AtomicLongArray acknowledged = new AtomicLongArray(TWINS);
            AtomicLong refused = new AtomicLong();
            // A write refused because Kafka's confirmation did not come in time may still have
            // landed (the client cannot know): it may count once more, never less.
            AtomicLongArray unknownOutcome = new AtomicLongArray(TWINS);
            Thread feeder =
                    daemon(
                            () -> {
                                while (feeding.get()) {
                                    for (int twin = 0; twin < TWINS && feeding.get(); twin++) {
                                        long value = acknowledged.get(twin) + 1;
                                        try {
                                            if (system.post(
                                                                    "/actor/counter/c" + twin,
                                                                    "{\"idx\":0,\"value\":"
                                                                            + value
                                                                            + "}")
                                                            .statusCode()
                                                    == 202) {
                                                acknowledged.set(twin, value);
                                            } else {
                                                refused.incrementAndGet();
                                                unknownOutcome.incrementAndGet(twin);
                                            }
                                        } catch (Exception e) {
                                            refused.incrementAndGet();
                                            unknownOutcome.incrementAndGet(twin);
                                        }
                                    }
                                }
                            });
            AtomicLong reads = new AtomicLong();
            AtomicLong failedReads = new AtomicLong();
            Thread reader =
                    daemon(
                            () -> {
                                while (feeding.get()) {
                                    try {
                                        int status = system.get("/actor/counter/c0").statusCode();
                                        if (status != 200 && status != 404) {
                                            failedReads.incrementAndGet();
                                        }
                                    } catch (Exception e) {
                                        failedReads.incrementAndGet();
                                    }
                                    reads.incrementAndGet();
                                }
                            });

            await().atMost(Duration.ofMinutes(2)).until(() -> count(system) > 20);
            long killedAt = System.nanoTime();
            broker.destroyForcibly().waitFor();
            long ackedWhileDown = acknowledged.get(0);
            // Down for a while: writes are refused (503), none is acknowledged and lost.
            await().atMost(Duration.ofMinutes(1)).until(() -> refused.get() > 0);
            long restartedAt = System.nanoTime();
            broker = startBroker(port, data, dir.resolve("kafka-2.out"));
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> acknowledged.get(0) > ackedWhileDown + 10);
            long acceptingAt = System.nanoTime();
            await().atMost(Duration.ofMinutes(3)).until(() -> count(system) > ackedWhileDown);
            long freshAt = System.nanoTime();

            feeding.set(false);
            feeder.join(120_000);
            reader.join(30_000);
            for (int twin = 0; twin < TWINS; twin++) {
                long expected = acknowledged.get(twin);
                long unknown = unknownOutcome.get(twin);
                String path = "/actor/counter/c" + twin + "?format=object";
                await().atMost(Duration.ofMinutes(2))
                        .untilAsserted(
                                () -> {
                                    JsonNode state =
                                            JSON.readTree(system.get(path).body()).path("state");
                                    assertThat(state.path("value").asLong())
                                            .as("value of " + path)
                                            .isEqualTo(expected);
                                    assertThat(state.path("count").asLong())
                                            .as(
                                                    "count of "
                                                            + path
                                                            + ": every acknowledged write once,"
                                                            + " plus any of its "
                                                            + unknown
                                                            + " refused ones that landed")
                                            .isBetween(expected, expected + unknown);
                                });
            }
            assertThat(failedReads.get()).as("failed reads out of " + reads.get()).isZero();

            Map<String, Object> report =
                    Map.of(
                            "downSeconds", seconds(restartedAt - killedAt),
                            "writesAcceptedAgainSecondsAfterRestart",
                                    seconds(acceptingAt - restartedAt),
                            "freshStateSecondsAfterRestart", seconds(freshAt - restartedAt),
                            "refusedWrites", refused.get(),
                            "reads", reads.get());
            String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report);
            System.out.println("recovery after SIGKILL of the Kafka broker: " + json);
            Files.writeString(
                    Path.of("target", "kafka-recovery.json"), json, StandardCharsets.UTF_8);
        } finally {
            feeding.set(false);
            broker.destroyForcibly().waitFor();
        }
    }

    private static long count(RunningSystem system) throws Exception {
        HttpResponse<String> response = system.get("/actor/counter/c0?format=object");
        return response.statusCode() == 200
                ? JSON.readTree(response.body()).path("state").path("count").asLong()
                : 0;
    }

    /** {@code dtlab kafka} in a JVM of its own; returns once it serves. */
    private static Process startBroker(int port, Path data, Path out) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process =
                new ProcessBuilder(
                                List.of(
                                        java,
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        DtlabMain.class.getName(),
                                        "kafka",
                                        "--port",
                                        Integer.toString(port),
                                        "--data-dir",
                                        data.toString()))
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        await().atMost(Duration.ofMinutes(1))
                .until(
                        () -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException(
                                        "dtlab kafka ended: " + Files.readString(out));
                            }
                            return Files.readString(out).contains("Kafka ready");
                        });
        return process;
    }

    private static Thread daemon(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e7) / 100.0;
    }
}
