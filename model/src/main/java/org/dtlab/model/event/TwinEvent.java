package org.dtlab.model.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.telemetry.Telemetry;

import java.time.Instant;
import java.util.List;

/**
 * An event of a twin: its {@code CREATION}, a {@code STATE_CHANGE} carrying the whole new state
 * (operator outputs included) — the original's "assessment" — or an alarm raised or cleared.
 *
 * <p>{@code id} is derived from the twin, its journal sequence and, for what a timer did, the
 * timer's event time, so an event re-emitted after a recovery or by a replay has the same id (it is
 * the webhook idempotency key and the journal's primary key). {@code created} is the event time of
 * the telemetry or timer that caused it, so a replay reproduces it.
 *
 * @param alarm the alarm of an {@code AlarmRaised}/{@code AlarmCleared} event, {@code null}
 *     otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TwinEvent(
        String id,
        EventType type,
        String path,
        String dtType,
        long sequence,
        Instant created,
        List<Telemetry> state,
        AlarmDetail alarm) {

    public TwinEvent {
        state = List.copyOf(state);
    }

    /** A {@code Creation} or {@code StateChange} event. */
    public TwinEvent(
            String id,
            EventType type,
            String path,
            String dtType,
            long sequence,
            Instant created,
            List<Telemetry> state) {
        this(id, type, path, dtType, sequence, created, state, null);
    }

    public static String idOf(String path, long sequence, EventType type) {
        return path + "#" + sequence + "#" + type.jsonName();
    }
}
