package org.dtlab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Memory with many twins: gives {@code twins} twins one observation each, straight to the
 * observation topic of a running {@code dtlab local}, waits until the last one is visible through
 * the API, then reports the process's resident memory (current and peak, from /proc) and the size
 * of its checkpoints on disk per twin.
 *
 * <p>Usage: {@code MemoryPerTwin <api-base-url> <kafka-bootstrap> <twins> <pid> <data-dir>}; prints
 * JSON.
 */
public final class MemoryPerTwin {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private MemoryPerTwin() {}

    public static void main(String[] args) throws Exception {
        String api = args[0];
        String bootstrap = args[1];
        int twins = Integer.parseInt(args[2]);
        long pid = Long.parseLong(args[3]);
        Path data = Path.of(args[4]);

        HttpResponse<String> created =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(api + "/type/meter"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"props\":[\"reading\",\"count\",\"max\"],\"operators\":["
                                                    + "{\"name\":\"count\",\"implementation\":\"count\",\"input\":[0],\"output\":[1]},"
                                                    + "{\"name\":\"max\",\"implementation\":\"max\",\"input\":[0],\"output\":[2]}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException(
                    "POST /type/meter: " + created.statusCode() + " " + created.body());
        }
        Map<String, Object> before = memory(pid);
        long started = System.nanoTime();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            Instant at = Instant.parse("2026-01-01T00:00:00Z");
            for (int i = 0; i < twins; i++) {
                String path = "meter/m" + i;
                // controlVersion 1: the twin job holds it until the type (the first control record)
                // is there.
                producer.send(
                        new ProducerRecord<>(
                                "dtlab.observations",
                                path,
                                String.format(
                                        Locale.ROOT,
                                        "{\"path\":\"%s\",\"idx\":0,\"value\":%d,\"datetime\":\"%s\",\"controlVersion\":1}",
                                        path,
                                        i,
                                        at)));
            }
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (!visible(api, "meter/m" + (twins - 1)) || !visible(api, "meter/m" + (twins / 2))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "the twins did not become visible within 30 minutes");
            }
            Thread.sleep(1_000);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(
                15_000); // a checkpoint that holds every twin (dtlab local checkpoints every few
        // seconds)

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("scenario", "memory");
        result.put("twins", twins);
        result.put("loadSeconds", Math.round(seconds * 10) / 10.0);
        result.put("twinsPerSecond", Math.round(twins / seconds));
        result.put("before", before);
        Map<String, Object> after = memory(pid);
        result.put("after", after);
        long checkpoints = Stats.bytesUnder(data.resolve("checkpoints"));
        result.put("checkpointBytes", checkpoints);
        result.put("checkpointBytesPerTwin", checkpoints / twins);
        result.put("journalDatabaseBytes", Stats.bytesUnder(data.resolve("journal")));
        result.put(
                "rssBytesPerTwin",
                ((long) after.get("rssKb") - (long) before.get("rssKb")) * 1024 / twins);
        System.out.println(
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
    }

    /**
     * The twin's state holds its observation (a twin of a known type without one answers 200 and
     * []).
     */
    private static boolean visible(String api, String path) throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(api + "/actor/" + path)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 && response.body().contains("\"value\"");
    }

    /** VmRSS and VmHWM (peak) of the process, in kB. */
    private static Map<String, Object> memory(long pid) throws Exception {
        Map<String, Object> memory = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                memory.put("rssKb", Long.parseLong(line.replaceAll("\\D", "")));
            } else if (line.startsWith("VmHWM:")) {
                memory.put("peakRssKb", Long.parseLong(line.replaceAll("\\D", "")));
            }
        }
        return memory;
    }
}
