package org.dtlab.model.event;

import java.time.Instant;

/**
 * A record the system could not accept, and why. Nothing is dropped silently: every bad record
 * becomes one of these (a row in the rejects table).
 *
 * @param origin where it came from, e.g. {@code dtlab.observations/2@1234} (topic/partition@offset)
 * @param key the record key, if any
 * @param reason the user-facing reason
 * @param payload the record as received (possibly abbreviated)
 * @param at when it was rejected (the record's own timestamp where it has one)
 */
public record Reject(String origin, String key, String reason, String payload, Instant at) {

    /** Payloads above this many characters are abbreviated in reject rows. */
    public static final int MAX_PAYLOAD_CHARS = 4096;

    public Reject {
        if (payload != null && payload.length() > MAX_PAYLOAD_CHARS) {
            payload = payload.substring(0, MAX_PAYLOAD_CHARS) + "...";
        }
    }
}
