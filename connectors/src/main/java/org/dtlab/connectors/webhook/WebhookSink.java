package org.dtlab.connectors.webhook;

import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.dtlab.model.event.WebhookDelivery;

import java.util.Collection;
import java.util.List;

/**
 * POSTs each {@link WebhookDelivery} to its webhook's URL, on Flink's {@link AsyncSinkBase}: the
 * framework the Apache HTTP connector (no release for Flink 2.x yet) is built on, so its public
 * shape can follow {@code HttpSink} when that is released.
 *
 * <p>At-least-once: buffered deliveries are part of the checkpoint, so receivers should use the
 * {@code Idempotency-Key} header (the event id) to drop repeats. Retries with exponential backoff on
 * 5xx, 429, timeouts and connection errors; no retry on other 4xx; after the last attempt a dead
 * letter. A receiver that is down, slow or answering garbage never fails the job. The buffer is
 * bounded: when it is full the sink backpressures the job instead of growing.
 */
public final class WebhookSink extends AsyncSinkBase<WebhookDelivery, WebhookRequest> {

    private static final long serialVersionUID = 1L;

    private final WebhookOptions options;
    private final DeadLetterStore deadLetters;

    public WebhookSink(WebhookOptions options, DeadLetterStore deadLetters) {
        super(
                (ElementConverter<WebhookDelivery, WebhookRequest>) (delivery, context) -> new WebhookRequest(
                        delivery.eventId(), delivery.webhook(), delivery.url(), delivery.payload(), 0),
                options.maxBatchSize(),
                options.maxInFlightRequests(),
                options.maxBufferedRequests(),
                // Bytes per batch and per record: payloads are one twin's state, far below these.
                64L * 1024 * 1024,
                // Batches go out at least every 100 ms.
                100,
                4L * 1024 * 1024,
                // The framework's own batch timeout stays above the longest retry cycle of a batch,
                // so it never re-sends a batch the writer is still working on.
                2 * (options.requestTimeoutMs() + options.maxBackoffMs()) + 10_000,
                false);
        this.options = options;
        this.deadLetters = deadLetters;
    }

    @Override
    public StatefulSinkWriter<WebhookDelivery, BufferedRequestState<WebhookRequest>> createWriter(
            WriterInitContext context) {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<WebhookDelivery, BufferedRequestState<WebhookRequest>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<WebhookRequest>> recoveredState) {
        return new WebhookSinkWriter(getElementConverter(), context, writerConfiguration(), options, deadLetters, recoveredState);
    }

    private AsyncSinkWriterConfiguration writerConfiguration() {
        return AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .setRequestTimeoutMS(getRequestTimeoutMS())
                .setFailOnTimeout(getFailOnTimeout())
                .setRateLimitingStrategy(new FixedInFlightStrategy(getMaxInFlightRequests(), getMaxBatchSize()))
                .build();
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<WebhookRequest>> getWriterStateSerializer() {
        return new WebhookRequestSerializer();
    }
}
