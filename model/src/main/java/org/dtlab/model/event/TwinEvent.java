package org.dtlab.model.event;

import org.dtlab.model.spec.EventType;
import org.dtlab.model.telemetry.Telemetry;

import java.time.Instant;
import java.util.List;

/**
 * An event of a twin: its {@code CREATION}, or a {@code STATE_CHANGE} carrying the whole new state
 * (operator outputs included) — the original's "assessment".
 *
 * <p>{@code id} is derived from the twin and its journal sequence, so an event re-emitted after a
 * recovery has the same id (it is the webhook idempotency key and the journal's primary key).
 * {@code created} is the event time of the telemetry that caused it, so a replay reproduces it.
 */
public record TwinEvent(
        String id, EventType type, String path, String dtType, long sequence, Instant created, List<Telemetry> state) {

    public TwinEvent {
        state = List.copyOf(state);
    }

    public static String idOf(String path, long sequence, EventType type) {
        return path + "#" + sequence + "#" + type.jsonName();
    }
}
