package org.dtlab.model.event;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.dtlab.model.spec.EventType;

import java.time.Instant;

/**
 * The body of a webhook POST: the original's {@code DtEventMsg} — {@code event} is the whole new
 * state for a {@code StateChange} and the string {@code "Creation"} for a creation — plus the event
 * {@code id}. For {@code AlarmRaised}/{@code AlarmCleared}, {@code event} is the alarm: {@code
 * {name, severity, since, values}}.
 */
@JsonPropertyOrder({"id", "created", "eventType", "source", "event"})
public record WebhookPayload(
        String id, Instant created, String eventType, String source, Object event) {

    public static WebhookPayload of(TwinEvent e) {
        Object body =
                switch (e.type()) {
                    case CREATION -> EventType.CREATION.jsonName();
                    case STATE_CHANGE -> e.state();
                    case ALARM_RAISED, ALARM_CLEARED -> e.alarm();
                };
        return new WebhookPayload(e.id(), e.created(), e.type().jsonName(), "/" + e.path(), body);
    }
}
