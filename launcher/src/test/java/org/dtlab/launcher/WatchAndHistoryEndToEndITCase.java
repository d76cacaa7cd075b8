package org.dtlab.launcher;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.connectors.testutils.EmbeddedKafka;
import org.dtlab.launcher.testutils.Browser;
import org.dtlab.launcher.testutils.RunningSystem;
import org.dtlab.model.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Streams and history with the real twin job (parallelism 2, so two sink subtasks write events) on
 * PostgreSQL: a telemetry's events reach a twin's stream and the filtered firehose in order, and
 * the journal it leaves answers for the past; and the twin explorer in a real (headless) Chromium.
 */
class WatchAndHistoryEndToEndITCase {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Duration VISIBLE = Duration.ofSeconds(60);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @RegisterExtension static final EmbeddedKafka KAFKA = new EmbeddedKafka();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir static Path checkpoints;

    private static RunningSystem system;

    @BeforeAll
    static void start() throws Exception {
        system = RunningSystem.start(KAFKA.bootstrapServers(), checkpoints);
    }

    @AfterAll
    static void stop() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void telemetryShowsUpOnTheStreamsAndInTheHistory() throws Exception {
        assertThat(
                        system.post(
                                        "/type/sensor",
                                        "{\"props\":[\"temp\",\"readings\"],"
                                            + "\"operators\":[{\"name\":\"readings\",\"implementation\":\"count\",\"input\":[0],\"output\":[1]}]}")
                                .statusCode())
                .isEqualTo(201);
        List<String> twin = lines("/actor/sensor/s1/stream");
        List<String> firehose = lines("/stream?type=sensor&event=StateChange");
        // Lines arrive once the stream is open: the first is the retry hint.
        await().atMost(VISIBLE).until(() -> !twin.isEmpty() && !firehose.isEmpty());

        for (int i = 1; i <= 5; i++) {
            assertThat(
                            system.post(
                                            "/actor/sensor/s1",
                                            "{\"idx\":0,\"value\":"
                                                    + (20 + i)
                                                    + ",\"datetime\":\"2026-03-01T10:0"
                                                    + i
                                                    + ":00Z\"}")
                                    .statusCode())
                    .isEqualTo(202);
        }
        assertThat(
                        system.post(
                                        "/actor/sensor/s2",
                                        "{\"idx\":0,\"value\":1,\"datetime\":\"2026-03-01T10:00:00Z\"}")
                                .statusCode())
                .isEqualTo(202);

        await().atMost(VISIBLE).until(() -> stateChanges(twin).size() == 5);
        List<JsonNode> changes = stateChanges(twin);
        assertThat(changes)
                .extracting(e -> e.get("event").get(0).get("value").asDouble())
                .containsExactly(21.0, 22.0, 23.0, 24.0, 25.0);
        assertThat(changes.get(4).get("event").get(1).get("value").asDouble())
                .as("the operator's output is in the state")
                .isEqualTo(5.0);
        assertThat(events(twin, "event: "))
                .as("the twin's Creation first")
                .first()
                .isEqualTo("Creation");
        List<Long> ids = events(twin, "id: ").stream().map(Long::parseLong).toList();
        assertThat(ids).as("ids rise").isSorted().doesNotHaveDuplicates();
        await().atMost(VISIBLE).until(() -> stateChanges(firehose).size() == 6);
        assertThat(events(firehose, "event: ")).containsOnly("StateChange");

        JsonNode at =
                JSON.readTree(
                        system.get("/actor/sensor/s1?at=2026-03-01T10:03:30Z&format=named").body());
        assertThat(at.get(0).get("name").asText()).isEqualTo("temp");
        assertThat(at.get(0).get("value").asDouble()).isEqualTo(23.0);
        JsonNode series =
                JSON.readTree(
                        system.get(
                                        "/actor/sensor/s1/series?idx=0&from=2026-03-01T10:00:00Z"
                                                + "&to=2026-03-01T11:00:00Z&step=2m&agg=max")
                                .body());
        assertThat(series.get("points"))
                .extracting(p -> p.get("value").asDouble())
                .containsExactly(21.0, 23.0, 25.0);
        assertThat(
                        JSON.readTree(
                                system.get(
                                                "/actor/sensor/s1?from=2026-03-01T10:02:00Z&to=2026-03-01T10:04:00Z")
                                        .body()))
                .extracting(t -> t.get("value").asDouble())
                .containsExactly(23.0, 22.0);
    }

    @Test
    void theExplorerShowsATwinLiveAndDrawsItsChart() throws Exception {
        try (Browser browser = Browser.start()) {
            assertThat(system.post("/type/lamp", "{\"props\":[\"brightness\"]}").statusCode())
                    .isEqualTo(201);
            assertThat(system.post("/actor/lamp/l1", "{\"idx\":0,\"value\":1}").statusCode())
                    .isEqualTo(202);
            await().atMost(VISIBLE)
                    .until(() -> system.get("/actor/lamp/l1").body().contains("\"value\":1.0"));

            browser.open(system.base().replace("/dtlab-alligator", "") + "/ui");
            await().atMost(VISIBLE)
                    .until(
                            () ->
                                    browser.script(
                                                    "return"
                                                        + " document.querySelector('[data-container=\"lamp\"]"
                                                        + " .type') !== null")
                                            .asBoolean());
            browser.script("document.querySelector('[data-container=\"lamp\"] .type').click()");
            await().atMost(VISIBLE)
                    .until(
                            () ->
                                    browser.script(
                                                    "return"
                                                        + " document.querySelector('[data-path=\"lamp/l1\"]')"
                                                        + " !== null")
                                            .asBoolean());
            browser.script("document.querySelector('[data-path=\"lamp/l1\"]').click()");
            await().atMost(VISIBLE)
                    .until(
                            () ->
                                    "1".equals(cell(browser))
                                            && "live".equals(text(browser, "#live")));
            await().atMost(VISIBLE)
                    .until(
                            () ->
                                    browser.script(
                                                            "const svg ="
                                                                + " document.querySelector('#chart"
                                                                + " svg'); return svg ?"
                                                                + " Number(svg.dataset.points) : 0")
                                                    .asInt()
                                            >= 1);

            assertThat(system.post("/actor/lamp/l1", "{\"idx\":0,\"value\":42}").statusCode())
                    .isEqualTo(202);
            await("the state updates without a reload")
                    .atMost(VISIBLE)
                    .until(() -> "42".equals(cell(browser)));
            assertThat(
                            browser.script(
                                            "return document.querySelector('#chart polyline, #chart"
                                                    + " circle') !== null")
                                    .asBoolean())
                    .as("the chart drew a line")
                    .isTrue();
        }
    }

    private static String cell(Browser browser) throws Exception {
        return browser.script(
                        "const c = document.querySelector('#state tbody td.value'); return c ?"
                                + " c.textContent : null")
                .asText();
    }

    private static String text(Browser browser, String selector) throws Exception {
        return browser.script(
                        "const n = document.querySelector(arguments[0]); return n ? n.textContent :"
                                + " null",
                        selector)
                .asText();
    }

    /** Every line a stream sends, collected as they come (the stream stays open for the test). */
    private static List<String> lines(String path) {
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<Stream<String>>> response =
                HTTP.sendAsync(
                        HttpRequest.newBuilder(URI.create(system.base() + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(
                r -> {
                    Thread reader =
                            new Thread(() -> r.body().forEach(lines::add), "stream " + path);
                    reader.setDaemon(true);
                    reader.start();
                });
        return lines;
    }

    private static List<String> events(List<String> lines, String field) {
        return lines.stream()
                .filter(l -> l.startsWith(field))
                .map(l -> l.substring(field.length()))
                .toList();
    }

    private static List<JsonNode> stateChanges(List<String> lines) throws Exception {
        List<JsonNode> changes = new ArrayList<>();
        for (String data : events(lines, "data: ")) {
            JsonNode event = JSON.readTree(data);
            if (event.get("eventType").asText().equals("StateChange")) {
                changes.add(event);
            }
        }
        return changes;
    }
}
