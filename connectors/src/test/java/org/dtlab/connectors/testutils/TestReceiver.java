package org.dtlab.connectors.testutils;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP webhook receiver on 127.0.0.1 and a free port, with a behaviour: answer, fail a few
 * times first, answer with an error, answer late, or never answer.
 */
public final class TestReceiver implements AutoCloseable {

    static {
        // Without it the JDK server waits ~40 ms per keep-alive request (stack.md §4 item 24).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /**
     * A request as the receiver saw it, and when it arrived ({@code System.currentTimeMillis()}).
     */
    public record Received(
            String idempotencyKey, String contentType, String body, long arrivedAtMs) {}

    private final HttpServer server;
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);

    private final long delayMs;

    private TestReceiver(
            int port,
            int status,
            int failuresFirst,
            int failureStatus,
            boolean silent,
            long delayMs)
            throws IOException {
        this.delayMs = delayMs;
        server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext(
                "/", exchange -> handle(exchange, status, failuresFirst, failureStatus, silent));
        server.start();
    }

    private TestReceiver(int status, int failuresFirst, int failureStatus, boolean silent)
            throws IOException {
        this(0, status, failuresFirst, failureStatus, silent, 0);
    }

    /** Answers every request with {@code status} on a given port (a receiver that comes back). */
    public static TestReceiver answeringOn(int port, int status) throws IOException {
        return new TestReceiver(port, status, 0, 0, false, 0);
    }

    /** Reads every request, waits {@code delayMs} (or until closed), then answers 200. */
    public static TestReceiver answeringAfter(long delayMs) throws IOException {
        return new TestReceiver(0, 200, 0, 0, false, delayMs);
    }

    /** Answers every request with {@code status}. */
    public static TestReceiver answering(int status) throws IOException {
        return new TestReceiver(status, 0, 0, false);
    }

    /** Answers the first {@code failures} requests with {@code failureStatus}, then 200. */
    public static TestReceiver failingFirst(int failures, int failureStatus) throws IOException {
        return new TestReceiver(200, failures, failureStatus, false);
    }

    /** Reads every request and never answers. */
    public static TestReceiver silent() throws IOException {
        return new TestReceiver(200, 0, 0, true);
    }

    /** A free port on 127.0.0.1, where nothing listens (until {@link #answeringOn} it). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A URL on 127.0.0.1 where nothing listens. */
    public static String nothingListening(String path) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort() + path;
        }
    }

    private void handle(
            HttpExchange exchange, int status, int failuresFirst, int failureStatus, boolean silent)
            throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int call = calls.incrementAndGet();
        if (silent) {
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        long arrivedAtMs = System.currentTimeMillis();
        if (delayMs > 0) {
            try {
                // The receiver's behaviour (a slow server), not a wait of the test; closing ends
                // it.
                released.await(delayMs, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int answer = call <= failuresFirst ? failureStatus : status;
        if (answer >= 200 && answer < 300) {
            received.add(
                    new Received(
                            exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                            exchange.getRequestHeaders().getFirst("Content-Type"),
                            body,
                            arrivedAtMs));
        }
        exchange.sendResponseHeaders(answer, -1);
        exchange.close();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public int calls() {
        return calls.get();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
