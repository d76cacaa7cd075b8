package org.dtlab.launcher.local;

import org.dtlab.model.config.SettingSource;
import org.dtlab.model.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code dtlab local} hands every setting of the query service and the twin job to them, from its
 * options and from the environment: here {@code --stream.retention 2} (an option) and {@code
 * DTLAB_STREAM_MAX_STREAMS=1} (an environment variable) shape the event streams of a whole local
 * system (embedded Kafka, MiniCluster, H2), started in this JVM as {@link LocalCommand} starts it.
 */
class LocalSettingsPassThroughITCase {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void optionsAndEnvironmentReachTheQueryService(@TempDir Path data) throws Exception {
        Settings settings =
                Settings.of(
                        SettingSource.arguments(
                                Map.of(
                                        "data-dir", data.toString(),
                                        "port", "0",
                                        "flink-ui-port", "0",
                                        "stream.retention", "2",
                                        "stream.poll-interval-ms", "50",
                                        "stream.keep-alive-ms", "200")),
                        SettingSource.environment(Map.of("DTLAB_STREAM_MAX_STREAMS", "1")));

        try (LocalStack stack = LocalStack.start(settings, step -> {})) {
            assertThat(stack.queryServiceConfig().stream().retention()).isEqualTo(2);
            assertThat(stack.queryServiceConfig().stream().maxStreams()).isEqualTo(1);
            String api = stack.apiUrl();
            assertThat(post(api + "/type/machine", "{\"props\":[\"speed\"]}").statusCode())
                    .isEqualTo(201);

            List<String> firstEventIds;
            try (Stream watcher = Stream.open(api + "/actor/machine/m1/stream", null)) {
                assertThat(watcher.status()).isEqualTo(200);
                assertThat(get(api + "/stream").statusCode())
                        .as("a second stream, beyond DTLAB_STREAM_MAX_STREAMS=1")
                        .isEqualTo(503);

                for (int i = 1; i <= 4; i++) {
                    assertThat(
                                    post(
                                                    api + "/actor/machine/m1",
                                                    "{\"idx\":0,\"value\":" + i + "}")
                                            .statusCode())
                            .isEqualTo(202);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> watcher.ids().size() >= 5);
                firstEventIds = watcher.ids();
            }

            // The watcher is gone once a keep-alive finds its connection closed: then a stream
            // that resumes after the first event, older than the newest 2, starts with a Reset.
            String resumeAfter = firstEventIds.get(0);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> {
                                try (Stream resumed =
                                        Stream.open(
                                                api + "/actor/machine/m1/stream", resumeAfter)) {
                                    assertThat(resumed.status()).isEqualTo(200);
                                    await().atMost(Duration.ofSeconds(10))
                                            .until(() -> !resumed.events().isEmpty());
                                    assertThat(resumed.events().get(0)).isEqualTo("Reset");
                                }
                            });
        }
    }

    private static HttpResponse<String> post(String url, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An event stream, its {@code id:} and {@code event:} lines collected as they come. */
    private static final class Stream implements AutoCloseable {

        private final HttpResponse<InputStream> response;
        private final List<String> ids = new CopyOnWriteArrayList<>();
        private final List<String> events = new CopyOnWriteArrayList<>();

        private Stream(HttpResponse<InputStream> response) {
            this.response = response;
            Thread reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static Stream open(String url, String lastEventId) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            return new Stream(
                    HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        }

        int status() {
            return response.statusCode();
        }

        List<String> ids() {
            return List.copyOf(ids);
        }

        List<String> events() {
            return List.copyOf(events);
        }

        private void read() {
            try (BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("id:")) {
                        ids.add(line.substring(3).strip());
                    } else if (line.startsWith("event:")) {
                        events.add(line.substring(6).strip());
                    }
                }
            } catch (Exception e) {
                // closed
            }
        }

        @Override
        public void close() throws Exception {
            response.body().close();
        }
    }
}
