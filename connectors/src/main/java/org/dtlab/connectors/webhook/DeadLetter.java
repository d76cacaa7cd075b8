package org.dtlab.connectors.webhook;

import java.time.Instant;

/**
 * A delivery that failed for good: after its last attempt, or at once for a response that retrying
 * cannot fix (a 4xx other than 429).
 *
 * @param status the last HTTP status, or {@code null} when there was no response
 */
public record DeadLetter(
        String eventId,
        String webhook,
        String url,
        Integer status,
        String reason,
        int attempts,
        String payload,
        Instant failedAt) {}
