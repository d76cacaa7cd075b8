package org.dtlab.launcher.testutils;

import com.fasterxml.jackson.databind.JsonNode;
import org.dtlab.model.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workload of the chaos tests: twins {@code machine/m0…} of a type whose {@code count} operator
 * counts the observations applied, fed without pause over HTTP so that value i is the i-th
 * acknowledged (202) observation of its twin. Whatever the fault, exactly once means: each twin's
 * count and value equal its acknowledged observations, and its journal holds each once.
 */
public final class CountingMachines {

    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();

    private final String api;
    private final int twins;
    private final AtomicLongArray acknowledged;
    private final AtomicBoolean feeding = new AtomicBoolean();
    private Thread feeder;

    public CountingMachines(String api, int twins) {
        this.api = api;
        this.twins = twins;
        this.acknowledged = new AtomicLongArray(twins);
    }

    /** Defines the type (201 expected). */
    public int defineType() throws Exception {
        return post(
                "/type/machine",
                "{\"props\":[\"value\",\"count\"],\"operators\":[{\"name\":\"n\","
                        + "\"implementation\":\"count\",\"input\":[0],\"output\":[1]}]}");
    }

    /** Starts sending observations to every twin in turn, until {@link #stopFeeding}. */
    public void startFeeding() {
        feeding.set(true);
        feeder =
                new Thread(
                        () -> {
                            while (feeding.get()) {
                                for (int twin = 0; twin < twins && feeding.get(); twin++) {
                                    long value = acknowledged.get(twin) + 1;
                                    try {
                                        if (post(
                                                        "/actor/machine/m" + twin,
                                                        "{\"idx\":0,\"value\":" + value + "}")
                                                == 202) {
                                            acknowledged.set(twin, value);
                                        }
                                    } catch (Exception e) {
                                        // not acknowledged: sent again with the same value
                                    }
                                }
                            }
                        },
                        "feeder");
        feeder.start();
    }

    /** Stops the feeder and waits for its last request. */
    public void stopFeeding() throws InterruptedException {
        feeding.set(false);
        if (feeder != null) {
            feeder.join();
        }
    }

    public long acknowledged(int twin) {
        return acknowledged.get(twin);
    }

    /** Every twin's acknowledged observations at this moment. */
    public long[] acknowledgedNow() {
        long[] copy = new long[twins];
        for (int i = 0; i < twins; i++) {
            copy[i] = acknowledged.get(i);
        }
        return copy;
    }

    public long acknowledgedInAll() {
        long sum = 0;
        for (int i = 0; i < twins; i++) {
            sum += acknowledged.get(i);
        }
        return sum;
    }

    /** Whether each twin's state counts at least {@code acked} of its observations. */
    public boolean allVisible(long[] acked) {
        for (int twin = 0; twin < twins; twin++) {
            if (visibleCount(twin) < acked[twin]) {
                return false;
            }
        }
        return true;
    }

    /** The count in a twin's state, or -1 when it cannot be read. */
    public long visibleCount(int twin) {
        try {
            return state(twin).path("count").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The status of a read of twin m0's state. */
    public int read() throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(api + "/actor/machine/m0?format=object"))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Waits until each twin's count and value equal its acknowledged observations. */
    public void assertStateExactlyOnce() {
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(
                        () -> {
                            for (int twin = 0; twin < twins; twin++) {
                                assertStateExactlyOnce(twin);
                            }
                        });
    }

    /** Waits until each twin's state and journal rows (read from {@code journal}) are exact. */
    public void assertExactlyOnce(JournalConnection journal) {
        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(
                        () -> {
                            for (int twin = 0; twin < twins; twin++) {
                                assertStateExactlyOnce(twin);
                            }
                            try (Connection c = journal.open()) {
                                assertJournalExactlyOnce(c);
                            }
                        });
    }

    /** Asserts each twin's journal rows: as many as acknowledged, distinct seqs 1..n. */
    public void assertJournalExactlyOnce(Connection c) throws Exception {
        for (int twin = 0; twin < twins; twin++) {
            long n = acknowledged.get(twin);
            assertThat(journal(c, twin))
                    .as("journal rows, distinct seqs, max seq of m" + twin)
                    .containsExactly(n, n, n);
        }
    }

    /** Opens a connection to the journal database. */
    public interface JournalConnection {
        Connection open() throws Exception;
    }

    private void assertStateExactlyOnce(int twin) throws Exception {
        long n = acknowledged.get(twin);
        JsonNode state = state(twin);
        assertThat(state.path("count").asLong()).as("count of m" + twin).isEqualTo(n);
        assertThat(state.path("value").asLong()).as("value of m" + twin).isEqualTo(n);
    }

    private static long[] journal(Connection c, int twin) throws Exception {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT count(*), count(DISTINCT seq), coalesce(max(seq), 0) FROM"
                                + " dtlab_journal WHERE path = ?")) {
            ps.setString(1, "machine/m" + twin);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
            }
        }
    }

    private JsonNode state(int twin) throws Exception {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                api + "/actor/machine/m" + twin + "?format=object"))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200
                ? Json.mapper().readTree(r.body()).path("state")
                : Json.mapper().createObjectNode();
    }

    private int post(String path, String json) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(api + path))
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
