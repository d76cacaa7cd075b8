package org.dtlab.connectors.webhook;

import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import org.dtlab.model.event.WebhookDelivery;

import java.util.Collection;
import java.util.List;

/**
 * POSTs each {@link WebhookDelivery} to its webhook's URL, on Flink's {@link AsyncSinkBase}: the
 * framework the Apache HTTP connector (no release for Flink 2.x yet) is built on, so its public
 * shape can follow {@code HttpSink} when that is released.
 *
 * <p>At-least-once: deliveries not yet done are part of the checkpoint, so receivers should use the
 * {@code Idempotency-Key} header (the event id) to drop repeats. Each webhook has its own lane
 * ({@link WebhookDispatcher}): retries with exponential backoff on 5xx, 429, 408, timeouts and
 * connection errors; no retry on other 4xx; a circuit breaker per webhook; after the last attempt,
 * or while the breaker is open, or when the webhook's queue is full, a dead letter. A receiver that
 * is down, slow or answering garbage neither fails the job nor slows it, nor any other webhook.
 *
 * <p>Made by {@link #builder()}, which documents the settings and their defaults.
 */
public final class WebhookSink extends AsyncSinkBase<WebhookDelivery, WebhookRequest> {

    private static final long serialVersionUID = 2L;

    /** A hand-off to the lanes completes at once: this timeout never fires in practice. */
    private static final long HAND_OFF_TIMEOUT_MS = 60_000;

    private final WebhookOptions options;
    private final DeadLetterStore deadLetters;

    /** The settings and their defaults are {@link WebhookSinkBuilder}'s; it checks them. */
    WebhookSink(
            int maxBatchSize,
            int maxInFlightRequests,
            int maxBufferedRequests,
            long maxBatchSizeInBytes,
            long maxTimeInBufferMs,
            long maxRecordSizeInBytes,
            WebhookOptions options,
            DeadLetterStore deadLetters) {
        super(
                (ElementConverter<WebhookDelivery, WebhookRequest>)
                        (delivery, context) ->
                                new WebhookRequest(
                                        delivery.eventId(),
                                        delivery.webhook(),
                                        delivery.url(),
                                        delivery.payload(),
                                        0),
                maxBatchSize,
                maxInFlightRequests,
                maxBufferedRequests,
                maxBatchSizeInBytes,
                maxTimeInBufferMs,
                maxRecordSizeInBytes,
                HAND_OFF_TIMEOUT_MS,
                // failOnTimeout: were it ever to fire, the framework would retry the hand-off
                false);
        this.options = options;
        this.deadLetters = deadLetters;
    }

    /** A builder: a dead-letter store is required, everything else has a default. */
    public static WebhookSinkBuilder builder() {
        return new WebhookSinkBuilder();
    }

    @Override
    public StatefulSinkWriter<WebhookDelivery, BufferedRequestState<WebhookRequest>> createWriter(
            WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<WebhookDelivery, BufferedRequestState<WebhookRequest>> restoreWriter(
            WriterInitContext context,
            Collection<BufferedRequestState<WebhookRequest>> recoveredState) {
        return new WebhookSinkWriter(
                getElementConverter(),
                context,
                writerConfiguration(),
                options,
                deadLetters,
                recoveredState);
    }

    AsyncSinkWriterConfiguration writerConfiguration() {
        return AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .setRequestTimeoutMS(getRequestTimeoutMS())
                .setFailOnTimeout(getFailOnTimeout())
                .setRateLimitingStrategy(
                        new FixedInFlightStrategy(getMaxInFlightRequests(), getMaxBatchSize()))
                .build();
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<WebhookRequest>>
            getWriterStateSerializer() {
        return new WebhookRequestSerializer();
    }
}
