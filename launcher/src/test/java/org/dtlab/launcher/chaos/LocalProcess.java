package org.dtlab.launcher.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import org.dtlab.model.json.Json;

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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code dtlab local} process as a user starts it, with its API and its Flink REST API (the web
 * UI's).
 */
final class LocalProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("DT Lab ready .*API (http://\\S+)");
    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private final String flink;

    private LocalProcess(Process process, int flinkPort) {
        this.process = process;
        this.flink = "http://127.0.0.1:" + flinkPort;
    }

    static LocalProcess start(Path data, String... extra) throws IOException {
        return start(List.of(), "org.dtlab.launcher.DtlabMain", data, extra);
    }

    /**
     * {@code dtlab local} run by {@code mainClass} (a wrapper around {@code DtlabMain}, say) with
     * the JVM options {@code jvmOptions}.
     */
    static LocalProcess start(List<String> jvmOptions, String mainClass, Path data, String... extra)
            throws IOException {
        int flinkPort = freePort();
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path")));
        command.addAll(jvmOptions);
        command.addAll(
                List.of(
                        mainClass,
                        "local",
                        "--port",
                        "0",
                        "--flink-ui-port",
                        Integer.toString(flinkPort),
                        "--data-dir",
                        data.toString()));
        command.addAll(List.of(extra));
        LocalProcess local =
                new LocalProcess(
                        new ProcessBuilder(command).redirectErrorStream(true).start(), flinkPort);
        Thread reader = new Thread(local::readOutput, "dtlab-local-output");
        reader.setDaemon(true);
        reader.start();
        return local;
    }

    private void readOutput() {
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
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
    }

    /** The API's base URL, once the process says it is ready. */
    String awaitReady() throws Exception {
        return ready.get(4, TimeUnit.MINUTES);
    }

    List<String> output() {
        return output;
    }

    /** The id of the job whose every task runs, if there is one. */
    Optional<String> runningJob() {
        try {
            for (JsonNode job : get(flink + "/jobs/overview").path("jobs")) {
                JsonNode tasks = job.path("tasks");
                if (job.path("state").asText().equals("RUNNING")
                        && tasks.path("total").asInt() > 0
                        && tasks.path("running").asInt() == tasks.path("total").asInt()) {
                    return Optional.of(job.path("jid").asText());
                }
            }
        } catch (Exception e) {
            // the REST endpoint moves to a new port only with a new MiniCluster; meanwhile: no job
        }
        return Optional.empty();
    }

    int completedCheckpoints(String jobId) throws Exception {
        return get(flink + "/jobs/" + jobId + "/checkpoints")
                .path("counts")
                .path("completed")
                .asInt();
    }

    void cancel(String jobId) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(flink + "/jobs/" + jobId + "?mode=cancel"))
                                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("cancel answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM, a clean stop. */
    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
