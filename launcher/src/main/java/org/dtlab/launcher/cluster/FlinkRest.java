package org.dtlab.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.model.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few calls of Flink's REST API the cluster commands and tests need; each answer as JSON. */
public final class FlinkRest {

    private static final ObjectMapper JSON = Json.mapper();

    private final String base;
    private final HttpClient http;

    public FlinkRest(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    public String url() {
        return base;
    }

    /**
     * {@code /overview}: TaskManagers, slots (total, available), jobs by state, the Flink version.
     */
    public JsonNode overview() throws IOException {
        return get("/overview");
    }

    /** {@code /taskmanagers}: each with its {@code id} (our process name), slots and free slots. */
    public JsonNode taskManagers() throws IOException {
        return get("/taskmanagers").path("taskmanagers");
    }

    /** {@code /jobs/overview}: every job with its id, name, state and task counts by state. */
    public JsonNode jobs() throws IOException {
        return get("/jobs/overview").path("jobs");
    }

    /** {@code /jobs/<id>}: the job's state and its vertices. */
    public JsonNode job(String jobId) throws IOException {
        return get("/jobs/" + jobId);
    }

    /** {@code /jobs/<id>/checkpoints}: counts and the latest completed and restored checkpoints. */
    public JsonNode checkpoints(String jobId) throws IOException {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    private JsonNode get(String path) throws IOException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build();
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(
                        "GET "
                                + base
                                + path
                                + ": HTTP "
                                + response.statusCode()
                                + " "
                                + response.body());
            }
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
