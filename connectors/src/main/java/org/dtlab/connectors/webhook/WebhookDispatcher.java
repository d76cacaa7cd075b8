package org.dtlab.connectors.webhook;

import org.apache.flink.metrics.Counter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Delivers webhook requests, each webhook in a lane of its own: its own queue (bounded), its own
 * requests in flight (bounded), its retries waiting on a timer (not in a slot), and its own circuit
 * breaker. Nothing one lane does — a slow answer, a timeout, a backoff, an open breaker — takes a
 * slot, a thread or a wait from another lane, and nothing here ever blocks the sink's task thread:
 * what does not fit in a lane, or arrives while its breaker is open, becomes a dead letter at once.
 *
 * <p>Everything a lane holds, and the dead letters not yet written, is in the sink's checkpoint
 * ({@link #pending}): after a failure it is delivered again (at least once; receivers drop repeats
 * by the {@code Idempotency-Key} header).
 *
 * <p>One lock (this object) guards all lanes: the work under it is a few list operations, and it
 * makes {@link #pending} a consistent cut. HTTP calls are started outside it.
 */
final class WebhookDispatcher implements AutoCloseable {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String USER_AGENT = "dtlab-flink-webhook";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);

    /** Counters of what happened to deliveries (the sink's metrics). */
    record Counters(Counter delivered, Counter retried, Counter deadLettered) {}

    private final WebhookOptions options;
    private final Counters counters;
    private final DeadLetterQueue deadLetters;
    private final ExecutorService httpThreads;
    private final HttpClient client;
    private final ScheduledExecutorService retryTimer;
    private final Map<String, Lane> lanes = new HashMap<>();

    WebhookDispatcher(WebhookOptions options, DeadLetterQueue deadLetters, Counters counters) {
        this.options = options;
        this.deadLetters = deadLetters;
        this.counters = counters;
        this.httpThreads = Executors.newCachedThreadPool(daemon("dtlab-webhook-http"));
        this.client =
                HttpClient.newBuilder()
                        .executor(httpThreads)
                        .connectTimeout(Duration.ofMillis(options.requestTimeoutMs()))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        // Plain HTTP/1.1: no h2c upgrade dance with receivers that do not speak
                        // HTTP/2.
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
        this.retryTimer = Executors.newSingleThreadScheduledExecutor(daemon("dtlab-webhook-retry"));
    }

    /** One webhook's deliveries. */
    private static final class Lane {
        final String webhook;
        final Deque<WebhookRequest> queued = new ArrayDeque<>();
        final List<WebhookRequest> inFlight = new ArrayList<>();
        final List<WebhookRequest> backingOff = new ArrayList<>();
        final CircuitBreaker breaker;

        Lane(String webhook, CircuitBreaker breaker) {
            this.webhook = webhook;
            this.breaker = breaker;
        }

        int size() {
            return queued.size() + inFlight.size() + backingOff.size();
        }
    }

    /** Takes a delivery; never blocks. */
    void submit(WebhookRequest request) {
        List<Sending> toSend = new ArrayList<>();
        synchronized (this) {
            // The URL is part of the lane: a webhook deleted and created again elsewhere starts
            // afresh.
            Lane lane =
                    lanes.computeIfAbsent(
                            request.webhook() + " " + request.url(),
                            k ->
                                    new Lane(
                                            request.webhook(),
                                            new CircuitBreaker(
                                                    options.breakerFailures(),
                                                    options.breakerOpenMs())));
            long now = nowMs();
            if (lane.breaker.refuses(now)) {
                deadLetter(request, Outcome.refused(lane.breaker.reason()), false);
            } else if (lane.size() >= options.maxQueuedPerWebhook()) {
                deadLetter(
                        request,
                        Outcome.refused(
                                "queue full: " + lane.size() + " deliveries held for this webhook"),
                        true);
            } else {
                lane.queued.add(request);
                pump(lane, now, toSend);
            }
        }
        send(toSend);
    }

    /** A request on its way, and its lane. */
    private record Sending(Lane lane, WebhookRequest request) {}

    /** Starts what the lane may start now; dead-letters its queue while its breaker is open. */
    private void pump(Lane lane, long now, List<Sending> toSend) {
        while (!lane.queued.isEmpty()) {
            if (lane.breaker.refuses(now)) {
                String reason = lane.breaker.reason();
                while (!lane.queued.isEmpty()) {
                    deadLetter(lane.queued.poll(), Outcome.refused(reason), false);
                }
                return;
            }
            // Half-open: one probe at a time.
            int limit = lane.breaker.probing(now) ? 1 : options.maxInFlightPerWebhook();
            if (lane.inFlight.size() >= limit) {
                return;
            }
            WebhookRequest request = lane.queued.poll();
            lane.inFlight.add(request);
            toSend.add(new Sending(lane, request));
        }
    }

    private void send(List<Sending> toSend) {
        for (Sending sending : toSend) {
            HttpRequest http;
            try {
                http = post(sending.request(), options.requestTimeoutMs());
            } catch (IllegalArgumentException e) {
                completed(sending, Outcome.refused("invalid URL: " + e.getMessage()));
                continue;
            }
            client.sendAsync(http, HttpResponse.BodyHandlers.discarding())
                    .handle(
                            (response, error) ->
                                    error != null
                                            ? Outcome.of(error)
                                            : Outcome.of(response.statusCode()))
                    .thenAccept(outcome -> completed(sending, outcome));
        }
    }

    /** The POST of a delivery: the same for every attempt, and for a re-send of its dead letter. */
    static HttpRequest post(WebhookRequest request, long timeoutMs) {
        return HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(Duration.ofMillis(timeoutMs))
                .header("Content-Type", "application/json")
                .header(IDEMPOTENCY_KEY, request.eventId())
                .header("User-Agent", USER_AGENT)
                .POST(HttpRequest.BodyPublishers.ofString(request.payload()))
                .build();
    }

    private void completed(Sending sending, Outcome outcome) {
        Lane lane = sending.lane();
        WebhookRequest tried = sending.request().attempted();
        List<Sending> toSend = new ArrayList<>();
        synchronized (this) {
            lane.inFlight.remove(sending.request());
            long now = nowMs();
            boolean wasOpen = lane.breaker.isOpen();
            if (outcome.delivered()) {
                lane.breaker.succeeded();
                counters.delivered().inc();
            } else if (!outcome.receiverFailed()) {
                if (outcome.status() != null) {
                    lane.breaker
                            .succeeded(); // it answered: the receiver works, and refuses this one
                }
                deadLetter(tried, outcome, true);
            } else {
                lane.breaker.failed(now, outcome.reason());
                if (tried.attempts() >= options.maxAttempts()) {
                    deadLetter(tried, outcome, true);
                } else if (lane.breaker.refuses(now)) {
                    deadLetter(
                            tried,
                            new Outcome(
                                    false,
                                    true,
                                    outcome.status(),
                                    outcome.reason() + "; " + lane.breaker.reason()),
                            false);
                } else {
                    // The backoff waits on a timer, holding no slot of the lane.
                    lane.backingOff.add(tried);
                    counters.retried().inc();
                    try {
                        retryTimer.schedule(
                                () -> retry(lane, tried),
                                options.backoffMs(tried.attempts()),
                                TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException closing) {
                        // The writer is closing; the checkpoint before it holds this delivery.
                    }
                }
            }
            logTransition(lane, wasOpen);
            pump(lane, now, toSend);
            notifyAll();
        }
        send(toSend);
    }

    private void retry(Lane lane, WebhookRequest request) {
        List<Sending> toSend = new ArrayList<>();
        synchronized (this) {
            lane.backingOff.remove(request);
            lane.queued.addFirst(request);
            pump(lane, nowMs(), toSend);
            notifyAll();
        }
        send(toSend);
    }

    private void logTransition(Lane lane, boolean wasOpen) {
        if (!wasOpen && lane.breaker.isOpen()) {
            LOG.warn(
                    "Webhook {}: {}; its deliveries are dead-lettered for {} ms, then one probes"
                            + " the receiver",
                    lane.webhook,
                    lane.breaker.reason(),
                    options.breakerOpenMs());
        } else if (wasOpen && !lane.breaker.isOpen()) {
            LOG.info("Webhook {}: the receiver answered the probe; circuit closed", lane.webhook);
        }
    }

    /** Under the lock. {@code loud}: a WARN per letter (not for each letter of an open breaker). */
    private void deadLetter(WebhookRequest request, Outcome outcome, boolean loud) {
        counters.deadLettered().inc();
        if (loud) {
            LOG.warn(
                    "Webhook {} gave up on event {} after {} attempt(s): {}",
                    request.webhook(),
                    request.eventId(),
                    request.attempts(),
                    outcome.reason());
        } else {
            LOG.debug(
                    "Webhook {} dead-lettered event {}: {}",
                    request.webhook(),
                    request.eventId(),
                    outcome.reason());
        }
        deadLetters.add(
                new DeadLetter(
                        request.eventId(),
                        request.webhook(),
                        request.url(),
                        outcome.status(),
                        outcome.reason(),
                        request.attempts(),
                        request.payload(),
                        Instant.now()));
    }

    /**
     * Every delivery not yet done: queued, in flight, waiting for a retry, or dead-lettered but not
     * yet written. A consistent cut: a delivery moves to the dead letters before it leaves its
     * lane.
     */
    synchronized List<WebhookRequest> pending() {
        List<WebhookRequest> pending = new ArrayList<>();
        for (Lane lane : lanes.values()) {
            pending.addAll(lane.queued);
            pending.addAll(lane.inFlight);
            pending.addAll(lane.backingOff);
        }
        for (DeadLetter letter : deadLetters.pending()) {
            pending.add(
                    new WebhookRequest(
                            letter.eventId(),
                            letter.webhook(),
                            letter.url(),
                            letter.payload(),
                            letter.attempts()));
        }
        return pending;
    }

    /** Deliveries held by all lanes (a gauge). */
    synchronized int held() {
        return lanes.values().stream().mapToInt(Lane::size).sum();
    }

    /** Webhooks whose circuit breaker is open or probing (a gauge). */
    synchronized int openCircuits() {
        return (int) lanes.values().stream().filter(l -> l.breaker.isOpen()).count();
    }

    /**
     * Waits until every delivery taken so far is delivered or dead-lettered, and the dead letters
     * written: at the end of the input. Bounded: each delivery has at most {@code maxAttempts}
     * attempts with their timeouts and backoffs.
     */
    void awaitIdle() throws InterruptedException {
        synchronized (this) {
            while (held() > 0) {
                wait();
            }
        }
        deadLetters.awaitEmpty();
    }

    private static long nowMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    @Override
    public void close() {
        retryTimer.shutdownNow();
        httpThreads.shutdownNow();
        deadLetters.close();
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
