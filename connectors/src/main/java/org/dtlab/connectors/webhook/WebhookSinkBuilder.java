package org.dtlab.connectors.webhook;

import org.apache.flink.connector.base.sink.AsyncSinkBaseBuilder;

import org.dtlab.model.event.WebhookDelivery;

import java.util.Optional;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * Builds a {@link WebhookSink}; {@link #build()} checks every setting and names the one that is
 * wrong.
 *
 * <p>Only the dead-letter store is required. The webhook options default to {@link
 * WebhookOptions#defaults()}. The framework's settings ({@code setMaxBatchSize} …, inherited) size
 * only the hand-off from Flink's buffer to the per-webhook lanes, which take a batch at once and
 * bound what they hold themselves, so the defaults never make the job wait on a receiver:
 *
 * <ul>
 *   <li>{@code maxBatchSize} 50 deliveries per hand-off, {@code maxInFlightRequests} 4 hand-offs at
 *       once, {@code maxBufferedRequests} 1,000 deliveries buffered;
 *   <li>{@code maxTimeInBufferMS} 10 ms: the hand-off costs no receiver anything, so batches go out
 *       at least that often;
 *   <li>{@code maxBatchSizeInBytes} 64 MiB and {@code maxRecordSizeInBytes} 4 MiB: a payload is one
 *       twin's state, far below these.
 * </ul>
 */
public final class WebhookSinkBuilder
        extends AsyncSinkBaseBuilder<WebhookDelivery, WebhookRequest, WebhookSinkBuilder> {

    static final int DEFAULT_MAX_BATCH_SIZE = 50;
    static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 4;
    static final int DEFAULT_MAX_BUFFERED_REQUESTS = 1_000;
    static final long DEFAULT_MAX_TIME_IN_BUFFER_MS = 10;
    static final long DEFAULT_MAX_BATCH_SIZE_IN_BYTES = 64L * 1024 * 1024;
    static final long DEFAULT_MAX_RECORD_SIZE_IN_BYTES = 4L * 1024 * 1024;

    private WebhookOptions webhookOptions = WebhookOptions.defaults();
    private DeadLetterStore deadLetterStore;

    WebhookSinkBuilder() {}

    /**
     * How deliveries are retried, queued and broken off per webhook; default {@link
     * WebhookOptions#defaults()}.
     */
    public WebhookSinkBuilder setWebhookOptions(WebhookOptions webhookOptions) {
        this.webhookOptions = webhookOptions;
        return this;
    }

    /** Where deliveries that fail for good are written (required). */
    public WebhookSinkBuilder setDeadLetterStore(DeadLetterStore deadLetterStore) {
        this.deadLetterStore = deadLetterStore;
        return this;
    }

    @Override
    public WebhookSink build() {
        int maxBatchSize = Optional.ofNullable(getMaxBatchSize()).orElse(DEFAULT_MAX_BATCH_SIZE);
        int maxInFlightRequests =
                Optional.ofNullable(getMaxInFlightRequests())
                        .orElse(DEFAULT_MAX_IN_FLIGHT_REQUESTS);
        int maxBufferedRequests =
                Optional.ofNullable(getMaxBufferedRequests()).orElse(DEFAULT_MAX_BUFFERED_REQUESTS);
        long maxTimeInBufferMs =
                Optional.ofNullable(getMaxTimeInBufferMS()).orElse(DEFAULT_MAX_TIME_IN_BUFFER_MS);
        long maxBatchSizeInBytes =
                Optional.ofNullable(getMaxBatchSizeInBytes())
                        .orElse(DEFAULT_MAX_BATCH_SIZE_IN_BYTES);
        long maxRecordSizeInBytes =
                Optional.ofNullable(getMaxRecordSizeInBytes())
                        .orElse(DEFAULT_MAX_RECORD_SIZE_IN_BYTES);

        checkArgument(webhookOptions != null, "webhookOptions must not be null");
        checkArgument(
                deadLetterStore != null,
                "deadLetterStore is required: where deliveries that fail for good are written"
                        + " (e.g. a JdbcDeadLetterStore)");
        checkArgument(maxBatchSize >= 1, "maxBatchSize must be at least 1, got %s", maxBatchSize);
        checkArgument(
                maxInFlightRequests >= 1,
                "maxInFlightRequests must be at least 1, got %s",
                maxInFlightRequests);
        // The framework's writer refuses a buffer that cannot hold more than one batch.
        checkArgument(
                maxBufferedRequests > maxBatchSize,
                "maxBufferedRequests must be greater than maxBatchSize (%s), got %s",
                maxBatchSize,
                maxBufferedRequests);
        checkArgument(
                maxTimeInBufferMs >= 1,
                "maxTimeInBufferMS must be at least 1, got %s",
                maxTimeInBufferMs);
        checkArgument(
                maxRecordSizeInBytes >= 1,
                "maxRecordSizeInBytes must be at least 1, got %s",
                maxRecordSizeInBytes);
        checkArgument(
                maxBatchSizeInBytes >= maxRecordSizeInBytes,
                "maxBatchSizeInBytes must be at least maxRecordSizeInBytes (%s), got %s",
                maxRecordSizeInBytes,
                maxBatchSizeInBytes);

        return new WebhookSink(
                maxBatchSize,
                maxInFlightRequests,
                maxBufferedRequests,
                maxBatchSizeInBytes,
                maxTimeInBufferMs,
                maxRecordSizeInBytes,
                webhookOptions,
                deadLetterStore);
    }
}
