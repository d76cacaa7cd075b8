package org.dtlab.connectors.webhook;

import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.dtlab.model.event.WebhookDelivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends each batch's requests concurrently; completes the batch when all have an outcome. Failed
 * retryable requests go back to the buffer after the batch's backoff delay; requests that failed for
 * good go to the dead-letter store (on its own thread, never on a request thread).
 */
final class WebhookSinkWriter extends AsyncSinkWriter<WebhookDelivery, WebhookRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSinkWriter.class);

    private final WebhookOptions options;
    private final HttpClient client;
    private final ScheduledExecutorService retryTimer;
    private final ExecutorService deadLetterThread;
    private final DeadLetterStore.Writer deadLetters;
    private final Counter delivered;
    private final Counter retried;
    private final Counter deadLettered;

    WebhookSinkWriter(
            ElementConverter<WebhookDelivery, WebhookRequest> converter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            WebhookOptions options,
            DeadLetterStore deadLetterStore,
            Collection<BufferedRequestState<WebhookRequest>> recovered) {
        super(converter, context, configuration, recovered);
        this.options = options;
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(options.requestTimeoutMs()))
                .followRedirects(HttpClient.Redirect.NEVER)
                // Plain HTTP/1.1: no h2c upgrade dance with receivers that do not speak HTTP/2.
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        this.retryTimer = Executors.newSingleThreadScheduledExecutor(daemon("dtlab-webhook-retry"));
        this.deadLetterThread = Executors.newSingleThreadExecutor(daemon("dtlab-webhook-dead-letters"));
        this.deadLetters = deadLetterStore.open();
        this.delivered = context.metricGroup().counter("webhookDelivered");
        this.retried = context.metricGroup().counter("webhookRetried");
        this.deadLettered = context.metricGroup().counter("webhookDeadLettered");
    }

    @Override
    protected void submitRequestEntries(List<WebhookRequest> requests, ResultHandler<WebhookRequest> result) {
        List<WebhookRequest> retries = new ArrayList<>();
        CompletableFuture<?>[] sends = new CompletableFuture<?>[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            WebhookRequest request = requests.get(i);
            sends[i] = send(request).thenAccept(outcome -> {
                if (outcome.retryable() && request.attempts() + 1 < options.maxAttempts()) {
                    synchronized (retries) {
                        retries.add(request.failedOnce());
                    }
                } else if (outcome.delivered()) {
                    delivered.inc();
                } else {
                    deadLetter(request.failedOnce(), outcome);
                }
            });
        }
        CompletableFuture.allOf(sends).whenComplete((ignored, error) -> {
            if (retries.isEmpty()) {
                result.complete();
                return;
            }
            retried.inc(retries.size());
            int attempts = retries.stream().mapToInt(WebhookRequest::attempts).max().orElse(1);
            retryTimer.schedule(() -> result.retryForEntries(retries), options.backoffMs(attempts), TimeUnit.MILLISECONDS);
        });
    }

    private CompletableFuture<Outcome> send(WebhookRequest request) {
        HttpRequest http;
        try {
            http = HttpRequest.newBuilder(URI.create(request.url()))
                    .timeout(Duration.ofMillis(options.requestTimeoutMs()))
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", request.eventId())
                    .header("User-Agent", "dtlab-flink-webhook")
                    .POST(HttpRequest.BodyPublishers.ofString(request.payload()))
                    .build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(Outcome.fatal(null, "invalid URL: " + e.getMessage()));
        }
        return client.sendAsync(http, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> error != null ? Outcome.of(error) : Outcome.of(response.statusCode()));
    }

    private void deadLetter(WebhookRequest request, Outcome outcome) {
        deadLettered.inc();
        DeadLetter letter = new DeadLetter(
                request.eventId(), request.webhook(), request.url(), outcome.status(), outcome.reason(),
                request.attempts(), request.payload(), Instant.now());
        LOG.warn("Webhook {} gave up on event {} after {} attempt(s): {}",
                request.webhook(), request.eventId(), request.attempts(), outcome.reason());
        deadLetterThread.execute(() -> {
            try {
                deadLetters.write(letter);
            } catch (Exception e) {
                LOG.error("Could not store the dead letter of event {} for webhook {}: {}",
                        letter.eventId(), letter.webhook(), letter.payload(), e);
            }
        });
    }

    @Override
    protected long getSizeInBytes(WebhookRequest request) {
        return request.payload().length() + request.url().length() + request.eventId().length();
    }

    @Override
    public void close() {
        super.close();
        retryTimer.shutdownNow();
        deadLetterThread.shutdown();
        try {
            if (!deadLetterThread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Dead letters still being written at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetters.close();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** What one attempt came to. */
    record Outcome(boolean delivered, boolean retryable, Integer status, String reason) {

        static Outcome of(int status) {
            if (status >= 200 && status < 300) {
                return new Outcome(true, false, status, "delivered");
            }
            boolean retryable = status >= 500 || status == 429 || status == 408;
            return new Outcome(false, retryable, status, "HTTP " + status);
        }

        static Outcome of(Throwable error) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error;
            String reason = cause instanceof HttpTimeoutException
                    ? "timeout"
                    : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return new Outcome(false, true, null, reason);
        }

        static Outcome fatal(Integer status, String reason) {
            return new Outcome(false, false, status, reason);
        }
    }
}
