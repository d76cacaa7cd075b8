package org.dtlab.connectors.webhook;

import java.io.Serializable;

/**
 * How the webhook sink delivers.
 *
 * @param requestTimeoutMs how long one POST may take before it counts as failed (and is retried)
 * @param maxAttempts attempts per delivery, the first included; then it becomes a dead letter
 * @param initialBackoffMs the wait before the first retry; it doubles per attempt
 * @param maxBackoffMs the longest wait between attempts
 * @param maxBatchSize deliveries sent concurrently as one batch
 * @param maxInFlightRequests batches in flight at once
 * @param maxBufferedRequests deliveries buffered before the sink backpressures the job
 */
public record WebhookOptions(
        long requestTimeoutMs,
        int maxAttempts,
        long initialBackoffMs,
        long maxBackoffMs,
        int maxBatchSize,
        int maxInFlightRequests,
        int maxBufferedRequests)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public WebhookOptions {
        if (requestTimeoutMs < 1 || maxAttempts < 1 || initialBackoffMs < 0 || maxBackoffMs < initialBackoffMs) {
            throw new IllegalArgumentException("invalid webhook retry settings");
        }
        if (maxBatchSize < 1 || maxInFlightRequests < 1 || maxBufferedRequests < maxBatchSize) {
            throw new IllegalArgumentException("invalid webhook buffer settings");
        }
    }

    /** 5 s per request, 5 attempts with 250 ms → 4 s backoff, batches of 20, 16 in flight, 2,000 buffered. */
    public static WebhookOptions defaults() {
        return new WebhookOptions(5_000, 5, 250, 4_000, 20, 16, 2_000);
    }

    /** The wait before attempt {@code attempt + 1}, for a delivery that failed {@code attempt} times. */
    public long backoffMs(int attempt) {
        long backoff = initialBackoffMs;
        for (int i = 1; i < attempt && backoff < maxBackoffMs; i++) {
            backoff *= 2;
        }
        return Math.min(backoff, maxBackoffMs);
    }
}
