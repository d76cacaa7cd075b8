package org.dtlab.connectors.webhook;

/**
 * One webhook's circuit breaker. Closed: requests go out. After {@code failureThreshold} failed
 * attempts in a row it opens: for {@code openMs} the webhook's deliveries are dead-lettered without
 * being tried, so a receiver that is down costs neither time nor connections. Then it is half-open:
 * one request (the probe) goes out; its success closes the breaker, its failure opens it again.
 *
 * <p>Not thread-safe: the dispatcher's lock guards it. Times are {@code System.nanoTime()} based
 * milliseconds passed in, so tests can drive it.
 */
final class CircuitBreaker {

    private final int failureThreshold;
    private final long openMs;
    private int failuresInARow;
    private boolean open;
    private long openedAtMs;
    private String lastFailure = "";

    CircuitBreaker(int failureThreshold, long openMs) {
        this.failureThreshold = failureThreshold;
        this.openMs = openMs;
    }

    /** Whether requests are refused now (open, and not yet time for a probe). */
    boolean refuses(long nowMs) {
        return open && nowMs - openedAtMs < openMs;
    }

    /** Whether the next request is a probe: only one may be in flight then. */
    boolean probing(long nowMs) {
        return open && !refuses(nowMs);
    }

    /** The receiver answered (any status that is not a failure of the receiver itself). */
    void succeeded() {
        failuresInARow = 0;
        open = false;
    }

    /** An attempt failed: a timeout, a connection error, 5xx or 429. */
    void failed(long nowMs, String reason) {
        failuresInARow++;
        lastFailure = reason;
        if (open || failuresInARow >= failureThreshold) {
            // A failed probe (or the threshold reached) opens it for another full period.
            open = true;
            openedAtMs = nowMs;
        }
    }

    boolean isOpen() {
        return open;
    }

    /** The dead-letter reason while it refuses. */
    String reason() {
        return "circuit open: "
                + failuresInARow
                + " failed attempts in a row (last: "
                + lastFailure
                + ")";
    }
}
