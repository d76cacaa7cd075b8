package org.dtlab.connectors.webhook;

import java.io.Serializable;

/**
 * How the webhook sink delivers. Every field is a job setting ({@code --webhook.*}: {@code
 * TwinJobSettings}, docs/settings.md; docs/api.md#webhooks).
 *
 * <p>Each webhook has its own lane: its own queue, its own requests in flight and its own circuit
 * breaker, so a receiver that is slow, failing or down costs only its own deliveries.
 *
 * @param requestTimeoutMs how long one POST (connecting included) may take before it counts as a
 *     failed attempt ({@code --webhook.timeout-ms}, 5 s)
 * @param maxAttempts attempts per delivery, the first included; then it becomes a dead letter
 *     ({@code --webhook.max-attempts}, 5)
 * @param initialBackoffMs the wait before the first retry; it doubles per attempt ({@code
 *     --webhook.initial-backoff-ms}, 250 ms)
 * @param maxBackoffMs the longest wait between attempts ({@code --webhook.max-backoff-ms}, 4 s)
 * @param maxInFlightPerWebhook concurrent POSTs to one webhook ({@code --webhook.max-in-flight}, 8)
 * @param maxQueuedPerWebhook deliveries one webhook may hold (waiting, in flight or waiting for a
 *     retry); a delivery beyond it is dead-lettered at once, so a receiver that cannot keep up
 *     never holds back the job ({@code --webhook.max-queued}, 2,000)
 * @param breakerFailures failed attempts in a row (timeouts, connection errors, 5xx, 429) that open
 *     the webhook's circuit breaker ({@code --webhook.breaker-failures}, 5)
 * @param breakerOpenMs how long an open breaker dead-letters the webhook's deliveries without
 *     trying them; then one delivery probes the receiver, and its success closes the breaker
 *     ({@code --webhook.breaker-open-ms}, 30 s)
 */
public record WebhookOptions(
        long requestTimeoutMs,
        int maxAttempts,
        long initialBackoffMs,
        long maxBackoffMs,
        int maxInFlightPerWebhook,
        int maxQueuedPerWebhook,
        int breakerFailures,
        long breakerOpenMs)
        implements Serializable {

    private static final long serialVersionUID = 2L;

    public WebhookOptions {
        if (requestTimeoutMs < 1
                || maxAttempts < 1
                || initialBackoffMs < 0
                || maxBackoffMs < initialBackoffMs) {
            throw new IllegalArgumentException(
                    "invalid webhook retry settings: --webhook.timeout-ms and"
                        + " --webhook.max-attempts must be at least 1, --webhook.max-backoff-ms at"
                        + " least --webhook.initial-backoff-ms");
        }
        if (maxInFlightPerWebhook < 1 || maxQueuedPerWebhook < maxInFlightPerWebhook) {
            throw new IllegalArgumentException(
                    "invalid webhook queue settings: --webhook.max-in-flight must be at least 1,"
                            + " --webhook.max-queued at least --webhook.max-in-flight");
        }
        if (breakerFailures < 1 || breakerOpenMs < 1) {
            throw new IllegalArgumentException(
                    "invalid webhook circuit breaker settings: --webhook.breaker-failures and"
                            + " --webhook.breaker-open-ms must be at least 1");
        }
    }

    /**
     * 5 s per request, 5 attempts with 250 ms → 4 s backoff; per webhook 8 in flight and 2,000
     * held; the breaker opens after 5 failures in a row, for 30 s.
     */
    public static WebhookOptions defaults() {
        return new WebhookOptions(5_000, 5, 250, 4_000, 8, 2_000, 5, 30_000);
    }

    /**
     * The wait before attempt {@code attempt + 1}, for a delivery that failed {@code attempt}
     * times.
     */
    public long backoffMs(int attempt) {
        long backoff = initialBackoffMs;
        for (int i = 1; i < attempt && backoff < maxBackoffMs; i++) {
            backoff *= 2;
        }
        return Math.min(backoff, maxBackoffMs);
    }
}
