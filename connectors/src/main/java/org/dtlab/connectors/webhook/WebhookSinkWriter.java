package org.dtlab.connectors.webhook;

import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.MetricGroup;

import org.dtlab.model.event.WebhookDelivery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Hands each batch to the {@link WebhookDispatcher} and completes it at once: the framework's
 * in-flight requests never wait for a receiver, so neither its buffer nor a checkpoint (which waits
 * for in-flight requests) can be held by a slow or dead receiver. The deliveries the dispatcher
 * still holds are added to the checkpoint instead; at the end of the input the writer waits until
 * they are delivered or dead-lettered.
 */
final class WebhookSinkWriter extends AsyncSinkWriter<WebhookDelivery, WebhookRequest> {

    /** Dead letters waiting to be written before further ones are only logged. */
    private static final int DEAD_LETTER_CAPACITY = 10_000;

    private final WebhookDispatcher dispatcher;

    WebhookSinkWriter(
            ElementConverter<WebhookDelivery, WebhookRequest> converter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            WebhookOptions options,
            DeadLetterStore deadLetterStore,
            Collection<BufferedRequestState<WebhookRequest>> recovered) {
        super(converter, context, configuration, recovered);
        MetricGroup metrics = context.metricGroup();
        this.dispatcher =
                new WebhookDispatcher(
                        options,
                        new DeadLetterQueue(deadLetterStore.open(), DEAD_LETTER_CAPACITY),
                        new WebhookDispatcher.Counters(
                                metrics.counter("webhookDelivered"),
                                metrics.counter("webhookRetried"),
                                metrics.counter("webhookDeadLettered")));
        metrics.gauge("webhookHeld", dispatcher::held);
        metrics.gauge("webhookOpenCircuits", dispatcher::openCircuits);
    }

    @Override
    protected void submitRequestEntries(
            List<WebhookRequest> requests, ResultHandler<WebhookRequest> result) {
        for (WebhookRequest request : requests) {
            dispatcher.submit(request);
        }
        result.complete();
    }

    @Override
    public void flush(boolean endOfInput) throws InterruptedException {
        super.flush(endOfInput);
        if (endOfInput) {
            dispatcher.awaitIdle();
        }
    }

    @Override
    public List<BufferedRequestState<WebhookRequest>> snapshotState(long checkpointId) {
        List<BufferedRequestState<WebhookRequest>> state =
                new ArrayList<>(super.snapshotState(checkpointId));
        List<RequestEntryWrapper<WebhookRequest>> held = new ArrayList<>();
        for (WebhookRequest request : dispatcher.pending()) {
            held.add(new RequestEntryWrapper<>(request, getSizeInBytes(request)));
        }
        state.add(new BufferedRequestState<>(held));
        return state;
    }

    @Override
    protected long getSizeInBytes(WebhookRequest request) {
        return request.payload().length() + request.url().length() + request.eventId().length();
    }

    @Override
    public void close() {
        super.close();
        dispatcher.close();
    }
}
