package org.dtlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Query latency of {@code GET /actor/{path}} with ingest idle and with ingest running flat out,
 * against a running DT Lab (bench/run.sh starts one). Also measures the staleness: the time from a
 * telemetry's 202 to the state showing it.
 *
 * <p>Usage: {@code QueryUnderLoad <api-base-url> <seconds-per-phase> <twins> <readers> <writers>
 * [kafka-bootstrap]}; prints a JSON object of results. With the Kafka address, a third phase reads
 * while observations go straight to Kafka faster than the job takes them.
 */
public final class QueryUnderLoad {

    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Observations per second produced straight to Kafka in the third phase. */
    private static final long KAFKA_RATE = 20_000;

    private QueryUnderLoad() {}

    public static void main(String[] args) throws Exception {
        String api = args[0];
        int seconds = Integer.parseInt(args[1]);
        int twins = Integer.parseInt(args[2]);
        int readers = Integer.parseInt(args[3]);
        int writers = Integer.parseInt(args[4]);

        post(
                api + "/type/benchmachine",
                "{\"props\":[\"height\",\"count\",\"max\"],\"operators\":["
                    + "{\"name\":\"count\",\"implementation\":\"count\",\"input\":[0],\"output\":[1]},"
                    + "{\"name\":\"max\",\"implementation\":\"max\",\"input\":[0],\"output\":[2]}]}");
        // Every twin exists before reads start, so that reads hit real rows.
        List<Thread> creators = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int first = w;
            Thread t =
                    new Thread(
                            () -> {
                                for (int twin = first; twin < twins; twin += writers) {
                                    post(
                                            api + "/actor/benchmachine/m" + twin,
                                            "{\"idx\":0,\"value\":0}");
                                }
                            });
            t.start();
            creators.add(t);
        }
        for (Thread t : creators) {
            t.join();
        }

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("scenario", "query");
        results.put("twins", twins);
        results.put("readers", readers);
        results.put("writers", writers);
        results.put("secondsPerPhase", seconds);
        results.put("queryIdle", reads(api, seconds, twins, readers, 0));
        results.put("queryUnderIngest", reads(api, seconds, twins, readers, writers));
        results.put("stalenessMs", staleness(api, 20));
        // Last: it leaves the job a backlog that would distort any phase after it.
        if (args.length > 5) {
            results.put(
                    "queryUnderKafkaIngest",
                    readsUnderKafkaIngest(api, args[5], seconds, twins, readers));
        }
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
    }

    /**
     * Reads while observations go straight to Kafka at {@value #KAFKA_RATE}/s — more than the twin
     * job sustains on this machine, so it runs flat out (with a growing backlog) during the phase.
     */
    private static Map<String, Object> readsUnderKafkaIngest(
            String api, String bootstrap, int seconds, int twins, int readers) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong produced = new AtomicLong();
        Thread producer =
                new Thread(
                        () -> {
                            Properties p = new Properties();
                            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                            p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
                            try (KafkaProducer<String, String> kafka =
                                    new KafkaProducer<>(
                                            p, new StringSerializer(), new StringSerializer())) {
                                ThreadLocalRandom random = ThreadLocalRandom.current();
                                long started = System.nanoTime();
                                while (!stop.get()) {
                                    long due =
                                            (System.nanoTime() - started)
                                                    * KAFKA_RATE
                                                    / 1_000_000_000L;
                                    for (; produced.get() < due; produced.incrementAndGet()) {
                                        String path = "benchmachine/m" + random.nextInt(twins);
                                        kafka.send(
                                                new ProducerRecord<>(
                                                        "dtlab.observations",
                                                        path,
                                                        "{\"path\":\""
                                                                + path
                                                                + "\",\"idx\":0,\"value\":"
                                                                + random.nextInt(1000)
                                                                + ",\"datetime\":\""
                                                                + Instant.now()
                                                                + "\"}"));
                                    }
                                    Thread.sleep(1);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "kafka-ingest");
        producer.start();
        Map<String, Object> result = reads(api, seconds, twins, readers, 0);
        stop.set(true);
        producer.join();
        result.put("ingestProducedPerSecond", produced.get() / seconds);
        return result;
    }

    /**
     * Readers GET random twins for {@code seconds} while {@code writers} POST telemetry as fast as
     * they can.
     */
    private static Map<String, Object> reads(
            String api, int seconds, int twins, int readers, int writers) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong written = new AtomicLong();
        List<Thread> ingest = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            Thread t =
                    new Thread(
                            () -> {
                                ThreadLocalRandom random = ThreadLocalRandom.current();
                                while (!stop.get()) {
                                    if (post(
                                                    api
                                                            + "/actor/benchmachine/m"
                                                            + random.nextInt(twins),
                                                    "{\"idx\":0,\"value\":"
                                                            + random.nextInt(1000)
                                                            + "}")
                                            == 202) {
                                        written.incrementAndGet();
                                    }
                                }
                            });
            t.start();
            ingest.add(t);
        }
        List<long[]> perReader = new ArrayList<>();
        List<Thread> query = new ArrayList<>();
        long start = System.nanoTime();
        for (int r = 0; r < readers; r++) {
            long[] samples = new long[2_000_000];
            perReader.add(samples);
            Thread t =
                    new Thread(
                            () -> {
                                ThreadLocalRandom random = ThreadLocalRandom.current();
                                int n = 0;
                                while (!stop.get() && n < samples.length - 1) {
                                    long t0 = System.nanoTime();
                                    get(api + "/actor/benchmachine/m" + random.nextInt(twins));
                                    samples[++n] = System.nanoTime() - t0;
                                }
                                samples[0] = n;
                            });
            t.start();
            query.add(t);
        }
        Thread.sleep(seconds * 1000L); // the measurement window
        stop.set(true);
        for (Thread t : query) {
            t.join();
        }
        for (Thread t : ingest) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = 0;
        for (long[] s : perReader) {
            total += (int) s[0];
        }
        long[] all = new long[total];
        int i = 0;
        for (long[] s : perReader) {
            System.arraycopy(s, 1, all, i, (int) s[0]);
            i += (int) s[0];
        }
        java.util.Arrays.sort(all);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queries", total);
        out.put("queriesPerSecond", Math.round(total / elapsed));
        out.put("p50Ms", percentile(all, 0.50));
        out.put("p99Ms", percentile(all, 0.99));
        out.put("p999Ms", percentile(all, 0.999));
        out.put("ingestAcceptedPerSecond", Math.round(written.get() / elapsed));
        return out;
    }

    /** Time from a telemetry's 202 to a GET that shows it, for {@code samples} probes. */
    private static Map<String, Object> staleness(String api, int samples) throws Exception {
        long[] ms = new long[samples];
        for (int s = 0; s < samples; s++) {
            double marker = 1_000_000 + s;
            post(api + "/actor/benchmachine/probe", "{\"idx\":0,\"value\":" + marker + "}");
            long t0 = System.nanoTime();
            while (true) {
                JsonNode state = JSON.readTree(get(api + "/actor/benchmachine/probe"));
                if (state.isArray()
                        && state.size() > 0
                        && state.get(0).get("value").asDouble() == marker) {
                    break;
                }
                Thread.onSpinWait();
            }
            ms[s] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(ms);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("p50", percentile(ms, 0.5));
        out.put("p99", percentile(ms, 0.99));
        return out;
    }

    private static double percentile(long[] sortedNanos, double q) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
        return Math.round(sortedNanos[Math.max(0, index)] / 10_000.0) / 100.0;
    }

    private static int post(String url, String json) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(url))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(json))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String get(String url) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create(url)).GET().build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            return "";
        }
    }
}
