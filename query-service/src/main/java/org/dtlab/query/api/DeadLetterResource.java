package org.dtlab.query.api;

import org.dtlab.model.spec.WebhookSpec;
import org.dtlab.query.store.DeadLetterStore;
import org.dtlab.query.store.DeadLetterStore.DeadLetterRow;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.time.Duration;

/**
 * {@code /webhook/{name}/deadletters}: the webhook's dead letters, oldest first ({@code GET}, paged
 * by {@code limit} and {@code offset}), and {@code POST …/deadletters/resend}: re-sends the oldest
 * ones, each exactly as the sink sent it (same body, same {@code Idempotency-Key}: the event id),
 * to the webhook's current URL (the stored one if the webhook no longer exists). A delivered letter
 * is deleted. The first failure of the receiver itself (timeout, connection error, 5xx, 429, 408)
 * stops the re-send: a receiver that is still down is tried once, not once per letter. No new POST
 * starts after 30 s.
 */
public final class DeadLetterResource {

    /** Letters listed or re-sent per request when {@code limit} is absent, and at most. */
    static final long DEFAULT_LIMIT = 100;

    static final long MAX_LIMIT = 1_000;

    /**
     * No new POST starts after this long: a re-send holds one of the service's workers, so it is
     * bounded whatever the receiver does; {@code remaining} tells the client to call again.
     */
    private static final long BUDGET_MS = 30_000;

    private final Commands commands;
    private final DeadLetterStore store;
    private final long timeoutMs;
    private final HttpClient client;

    /**
     * @param timeoutMs how long one re-sent POST may take ({@code --webhook.resend-timeout-ms})
     */
    public DeadLetterResource(Commands commands, DeadLetterStore store, long timeoutMs) {
        this.commands = commands;
        this.store = store;
        this.timeoutMs = timeoutMs;
        this.client =
                HttpClient.newBuilder()
                        .connectTimeout(Duration.ofMillis(timeoutMs))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
    }

    /**
     * What a re-send came to: letters delivered (and deleted), failed, and still dead for the
     * webhook.
     */
    public record Resent(int resent, int failed, long remaining) {}

    /** The webhook's dead letters, oldest first. */
    public Reply list(Request request) throws SQLException {
        String webhook = SpecResources.name(request.param("name"), "webhook name");
        return Reply.json(200, store.list(webhook, limit(request), offset(request)));
    }

    /** Re-sends the webhook's oldest dead letters. */
    public Reply resend(Request request) throws SQLException {
        String webhook = SpecResources.name(request.param("name"), "webhook name");
        return Reply.json(200, resend(webhook, limit(request)));
    }

    private Resent resend(String webhook, long limit) throws SQLException {
        String currentUrl =
                commands.registry()
                        .webhook(webhook)
                        .map(WebhookSpec::target)
                        .map(t -> t.url())
                        .orElse(null);
        int resent = 0;
        int failed = 0;
        long deadline = System.nanoTime() + BUDGET_MS * 1_000_000;
        for (DeadLetterRow row : store.list(webhook, limit, 0)) {
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            Attempt attempt = post(row, currentUrl != null ? currentUrl : row.url());
            if (attempt.delivered()) {
                store.delete(row);
                resent++;
                continue;
            }
            store.resendFailed(row, attempt.status(), attempt.reason());
            failed++;
            if (attempt.receiverFailed()) {
                break;
            }
        }
        return new Resent(resent, failed, store.count(webhook));
    }

    /** One re-sent POST's outcome, classified as the sink classifies its attempts. */
    private record Attempt(
            boolean delivered, boolean receiverFailed, Integer status, String reason) {}

    private Attempt post(DeadLetterRow row, String url) {
        HttpRequest http;
        try {
            // The sink's request (WebhookDispatcher.post): the same headers, so receivers drop
            // repeats.
            http =
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofMillis(timeoutMs))
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", row.eventId())
                            .header("User-Agent", "dtlab-flink-webhook")
                            .POST(HttpRequest.BodyPublishers.ofString(row.payload()))
                            .build();
        } catch (IllegalArgumentException e) {
            return new Attempt(false, false, null, "invalid URL: " + e.getMessage());
        }
        try {
            int status = client.send(http, HttpResponse.BodyHandlers.discarding()).statusCode();
            boolean delivered = status >= 200 && status < 300;
            return new Attempt(
                    delivered,
                    status >= 500 || status == 429 || status == 408,
                    status,
                    delivered ? "delivered" : "HTTP " + status);
        } catch (HttpTimeoutException e) {
            return new Attempt(false, true, null, "timeout");
        } catch (java.io.IOException e) {
            return new Attempt(
                    false,
                    true,
                    null,
                    e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(false, true, null, "interrupted");
        }
    }

    private static long limit(Request request) {
        if (request.query("limit") == null) {
            return DEFAULT_LIMIT;
        }
        long limit = ActorResource.nonNegative(request, "limit");
        if (limit > MAX_LIMIT) {
            throw new ApiException(400, "limit must be at most " + MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }

    private static long offset(Request request) {
        return request.query("offset") == null ? 0 : ActorResource.nonNegative(request, "offset");
    }
}
