package org.dtlab.connectors.webhook;

import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.ResultInfo;

/**
 * A constant limit of batches in flight. The framework's default (congestion control) shrinks the
 * limit after failed requests, which suits one destination that is overloaded; here a batch is only
 * handed to the per-webhook lanes ({@link WebhookDispatcher}) and never fails, so a constant limit
 * is all it needs.
 */
final class FixedInFlightStrategy implements RateLimitingStrategy {

    private final int maxInFlight;
    private final int maxBatchSize;
    private int inFlight;

    FixedInFlightStrategy(int maxInFlight, int maxBatchSize) {
        this.maxInFlight = maxInFlight;
        this.maxBatchSize = maxBatchSize;
    }

    @Override
    public void registerInFlightRequest(RequestInfo request) {
        inFlight++;
    }

    @Override
    public void registerCompletedRequest(ResultInfo result) {
        inFlight--;
    }

    @Override
    public boolean shouldBlock(RequestInfo request) {
        return inFlight >= maxInFlight;
    }

    @Override
    public int getMaxBatchSize() {
        return maxBatchSize;
    }
}
