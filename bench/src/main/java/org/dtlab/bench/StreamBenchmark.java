package org.dtlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Event streams (Server-Sent Events) against a running DT Lab (bench/run.sh starts one): how many
 * idle streams one service holds, what they cost it (threads, resident memory), and the delivery
 * latency — from a telemetry's 202 to its {@code StateChange} on a twin's stream — with no other
 * stream open and with all the idle ones open.
 *
 * <p>Idle streams are plain sockets that sent their request and read the first bytes of the answer
 * (so the stream is open), then nothing: the client side costs no thread either.
 *
 * <p>Usage: {@code StreamBenchmark <api-base-url> <idle-streams> <latency-samples> <service-pid>};
 * prints a JSON object of results.
 */
public final class StreamBenchmark {

    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamBenchmark() {}

    public static void main(String[] args) throws Exception {
        String api = args[0];
        int idle = Integer.parseInt(args[1]);
        int samples = Integer.parseInt(args[2]);
        long pid = Long.parseLong(args[3]);
        post(api + "/type/benchstream", "{\"props\":[\"v\"]}");

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("scenario", "stream");
        results.put("idleStreams", idle);
        results.put("samples", samples);
        results.put("latencyMsNoOtherStream", latency(api, samples, "hot0"));
        Map<String, Object> before = process(pid);
        long start = System.nanoTime();
        List<SocketChannel> streams = openIdle(api, idle);
        double openSeconds = (System.nanoTime() - start) / 1e9;
        results.put("idleStreamsOpenedPerSecond", Math.round(idle / openSeconds));
        Map<String, Object> after = process(pid);
        results.put("serviceBefore", before);
        results.put("serviceWithIdleStreams", after);
        results.put(
                "rssKbPerIdleStream",
                idle == 0
                        ? 0
                        : Stats.round2(
                                ((long) after.get("rssKb") - (long) before.get("rssKb"))
                                        / (double) idle));
        results.put("latencyMsWithIdleStreams", latency(api, samples, "hot1"));
        int stillOpen = 0;
        for (SocketChannel s : streams) {
            stillOpen += s.isOpen() ? 1 : 0;
            s.close();
        }
        results.put("idleStreamsStillOpen", stillOpen);
        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
    }

    /**
     * Telemetry to one twin, one at a time at random moments (so as not to beat in time with the
     * poller), each timed from its 202 to its event on the twin's stream.
     */
    private static Map<String, Object> latency(String api, int samples, String twin)
            throws Exception {
        BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
        HttpResponse<InputStream> stream =
                HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create(api + "/actor/benchstream/" + twin + "/stream"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(() -> read(stream.body(), arrivals), "stream-reader");
        reader.setDaemon(true);
        reader.start();
        List<Double> millis = new ArrayList<>();
        for (int i = 1; i <= samples; i++) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(50, 300));
            post(api + "/actor/benchstream/" + twin, "{\"idx\":0,\"value\":" + i + "}");
            long accepted = System.nanoTime();
            while (true) {
                Arrival a = arrivals.poll(30, TimeUnit.SECONDS);
                if (a == null) {
                    throw new IllegalStateException("no event for telemetry " + i + " within 30 s");
                }
                if (a.value() == i) {
                    millis.add((a.nanos() - accepted) / 1e6);
                    break;
                }
            }
        }
        stream.body().close();
        return percentiles(millis);
    }

    private static Map<String, Object> percentiles(List<Double> millis) {
        List<Double> sorted = millis.stream().sorted().toList();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("p50", Stats.percentile(sorted, 0.50));
        p.put("p90", Stats.percentile(sorted, 0.90));
        p.put("p99", Stats.percentile(sorted, 0.99));
        p.put("min", Stats.round2(sorted.get(0)));
        p.put("max", Stats.percentile(sorted, 1.0));
        return p;
    }

    private record Arrival(long nanos, double value) {}

    private static void read(InputStream body, BlockingQueue<Arrival> arrivals) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("data:")) {
                    long now = System.nanoTime();
                    JsonNode event = JSON.readTree(line.substring(5)).get("event");
                    if (event != null && event.isArray() && event.size() > 0) {
                        arrivals.add(new Arrival(now, event.get(0).get("value").asDouble()));
                    }
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static List<SocketChannel> openIdle(String api, int count) throws IOException {
        URI base = URI.create(api);
        InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
        List<SocketChannel> streams = new ArrayList<>(count);
        ByteBuffer head = ByteBuffer.allocate(512);
        for (int i = 0; i < count; i++) {
            SocketChannel s = SocketChannel.open(address);
            s.write(
                    StandardCharsets.US_ASCII.encode(
                            "GET "
                                    + base.getPath()
                                    + "/actor/benchstream/idle"
                                    + i
                                    + "/stream HTTP/1.1\r\nHost: "
                                    + base.getHost()
                                    + "\r\n\r\n"));
            head.clear();
            StringBuilder answer = new StringBuilder();
            while (!answer.toString().contains("retry:")) {
                if (s.read(head) < 0) {
                    throw new IllegalStateException("stream " + i + " closed: " + answer);
                }
                head.flip();
                answer.append(StandardCharsets.US_ASCII.decode(head));
                head.clear();
            }
            if (!answer.toString().startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException("stream " + i + ": " + answer);
            }
            streams.add(s);
        }
        return streams;
    }

    /** Threads and resident memory of the service's process, from /proc. */
    private static Map<String, Object> process(long pid) throws IOException {
        System.gc();
        Map<String, Object> p = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                p.put("rssKb", Long.parseLong(line.replaceAll("\\D", "")));
            } else if (line.startsWith("Threads:")) {
                p.put("threads", Long.parseLong(line.replaceAll("\\D", "")));
            }
        }
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            p.put("openFiles", fds.count());
        }
        return p;
    }

    private static void post(String url, String json) throws IOException, InterruptedException {
        HttpResponse<String> r =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300 && r.statusCode() != 409) {
            throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
        }
    }
}
