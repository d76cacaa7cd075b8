package org.dtlab.connectors.webhook;

import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.ResultInfo;

/**
 * A constant limit of batches in flight. The framework's default (congestion control) shrinks the
 * limit after failed requests, which suits one destination that is overloaded; a webhook sink talks
 * to many receivers, and one that is down must not slow the deliveries to all the others.
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
