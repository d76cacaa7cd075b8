package org.dtlab.connectors.webhook;

import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;

/**
 * What one attempt came to.
 *
 * @param delivered a 2xx
 * @param receiverFailed the receiver failed (5xx, 429, 408, timeout, connection error): retried,
 *     and counted by the circuit breaker; other answers (4xx) show a receiver that works and
 *     refuses
 */
record Outcome(boolean delivered, boolean receiverFailed, Integer status, String reason) {

    static Outcome of(int status) {
        if (status >= 200 && status < 300) {
            return new Outcome(true, false, status, "delivered");
        }
        boolean receiverFailed = status >= 500 || status == 429 || status == 408;
        return new Outcome(false, receiverFailed, status, "HTTP " + status);
    }

    static Outcome of(Throwable error) {
        Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error;
        String reason =
                cause instanceof HttpTimeoutException
                        ? "timeout"
                        : cause.getClass().getSimpleName()
                                + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return new Outcome(false, true, null, reason);
    }

    /** Refused without an attempt, or failed in a way no retry can fix. */
    static Outcome refused(String reason) {
        return new Outcome(false, false, null, reason);
    }
}
