package org.dtlab.model.event;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.dtlab.model.spec.EventType;

import java.time.Instant;

/**
 * The body of a webhook POST: the original's {@code DtEventMsg} — {@code event} is the whole new
 * state for a {@code StateChange} and the string {@code "Creation"} for a creation — plus the
 * event {@code id}.
 */
@JsonPropertyOrder({"id", "created", "eventType", "source", "event"})
public record WebhookPayload(String id, Instant created, String eventType, String source, Object event) {

    public static WebhookPayload of(TwinEvent e) {
        Object body = e.type() == EventType.CREATION ? EventType.CREATION.jsonName() : e.state();
        return new WebhookPayload(e.id(), e.created(), e.type().jsonName(), "/" + e.path(), body);
    }
}
