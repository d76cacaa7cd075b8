package org.dtlab.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.model.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code dtlab local} as a user runs it: a separate process, driven over HTTP, killed with SIGKILL
 * and started again on the same data directory. Every observation acknowledged with 202 before the
 * kill must be in the twin's state afterwards, exactly once.
 */
class LocalModeProcessITCase {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Pattern READY = Pattern.compile("DT Lab ready .*API (http://\\S+)");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aKilledProcessLosesNothingItAcknowledged(@TempDir Path data) throws Exception {
        int acknowledged = 0;
        Launched first = launch(data);
        try {
            String api = first.awaitReady();
            assertThat(
                            post(
                                            api,
                                            "/type/machinery",
                                            "{\"props\":[\"height\",\"count\",\"max\"]}")
                                    .statusCode())
                    .isEqualTo(201);
            assertThat(
                            post(
                                            api,
                                            "/actor/machinery/m1/operator",
                                            "{\"name\":\"count\",\"implementation\":\"count\",\"input\":[0],\"output\":[1]}")
                                    .statusCode())
                    .isEqualTo(200);
            for (int i = 1; i <= 200; i++) {
                if (post(api, "/actor/machinery/m1", "{\"idx\":0,\"value\":" + i + "}").statusCode()
                        == 202) {
                    acknowledged++;
                }
            }
            post(api, "/type/building", "{\"children\":[\"floor\"]}");
            post(api, "/type/floor", "{\"props\":[\"temp\"]}");
            assertThat(
                            post(api, "/actor/building/b1/floor/f1", "{\"idx\":0,\"value\":21.5}")
                                    .statusCode())
                    .isEqualTo(202);
            // A checkpoint to resume from, and then observations it does not hold: the restart must
            // take both paths (restore, and replay from Kafka after the checkpoint's offsets).
            await().atMost(Duration.ofMinutes(2))
                    .until(() -> hasCheckpoint(data.resolve("checkpoints")));
            for (int i = 201; i <= 250; i++) {
                if (post(api, "/actor/machinery/m1", "{\"idx\":0,\"value\":" + i + "}").statusCode()
                        == 202) {
                    acknowledged++;
                }
            }
        } finally {
            first.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL
        }
        assertThat(acknowledged).isEqualTo(250);

        Launched second = launch(data);
        try {
            String api = second.awaitReady();
            assertThat(second.output())
                    .anyMatch(line -> line.contains("resuming the twin job from checkpoints/"));
            int expected = acknowledged;
            await().atMost(Duration.ofMinutes(2))
                    .untilAsserted(
                            () -> {
                                JsonNode state =
                                        JSON.readTree(
                                                        get(
                                                                        api,
                                                                        "/actor/machinery/m1?format=object")
                                                                .body())
                                                .get("state");
                                assertThat(state).as("state of m1").isNotNull();
                                assertThat(state.get("count").asDouble()).isEqualTo(expected);
                                assertThat(state.get("height").asDouble()).isEqualTo(250.0);
                            });
            // The journal has its own sink, which may write its last rows after the state's.
            await().atMost(Duration.ofMinutes(1))
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    JSON.readTree(
                                                            get(
                                                                            api,
                                                                            "/actor/machinery/m1?limit=1000")
                                                                    .body()))
                                            .hasSize(expected));
            assertThat(get(api, "/actor/building/b1/floor").body()).isEqualTo("[\"f1\"]");
            assertThat(get(api, "/type/machinery").statusCode()).isEqualTo(200);
        } finally {
            // SIGTERM, a clean stop. Through the handle: Process.destroy() would also close our end
            // of its output, and we want to read what it prints while stopping.
            second.process().toHandle().destroy();
            assertThat(second.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(second.allOutput()).anyMatch(line -> line.contains("stopping"));
    }

    @Test
    void aPortInUseIsAOneLineErrorAndAFailedExit(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process process =
                    new ProcessBuilder(
                                    command(data, "--port", Integer.toString(taken.getLocalPort())))
                            .redirectErrorStream(true)
                            .start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(output)
                    .contains("port " + taken.getLocalPort() + " on 127.0.0.1 is in use")
                    .doesNotContain("\tat ");
        }
    }

    private static boolean hasCheckpoint(Path dir) throws IOException {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return false;
        }
        try (var files = java.nio.file.Files.walk(dir, 3)) {
            return files.anyMatch(p -> p.getFileName().toString().equals("_metadata"));
        } catch (java.io.UncheckedIOException e) {
            return false; // a subsumed checkpoint removed while it was read: look again
        }
    }

    /** A launched {@code dtlab local} and everything it printed so far. */
    private record Launched(
            Process process, List<String> output, CompletableFuture<String> ready, Thread reader) {
        String awaitReady() throws Exception {
            return ready.get(3, TimeUnit.MINUTES);
        }

        /** Everything the process printed, once it has ended. */
        List<String> allOutput() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(30));
            return output;
        }
    }

    private static Launched launch(Path data) throws IOException {
        Process process = new ProcessBuilder(command(data)).redirectErrorStream(true).start();
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                for (String line = in.readLine();
                                        line != null;
                                        line = in.readLine()) {
                                    output.add(line);
                                    Matcher m = READY.matcher(line);
                                    if (m.find()) {
                                        ready.complete(m.group(1));
                                    }
                                }
                                ready.completeExceptionally(
                                        new IllegalStateException(
                                                "dtlab local ended before it was ready:\n"
                                                        + String.join("\n", output)));
                            } catch (IOException e) {
                                ready.completeExceptionally(e);
                            }
                        },
                        "dtlab-local-output");
        reader.setDaemon(true);
        reader.start();
        return new Launched(process, output, ready, reader);
    }

    private static List<String> command(Path data, String... extra) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "org.dtlab.launcher.DtlabMain",
                                "local",
                                "--port",
                                "0",
                                "--flink-ui-port",
                                "0",
                                "--data-dir",
                                data.toString()));
        for (int i = 0; i < extra.length; i += 2) {
            int existing = command.indexOf(extra[i]);
            if (existing >= 0) {
                command.set(existing + 1, extra[i + 1]);
            } else {
                command.add(extra[i]);
                command.add(extra[i + 1]);
            }
        }
        return command;
    }

    private static HttpResponse<String> get(String api, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(api + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String api, String path, String json)
            throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(api + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
