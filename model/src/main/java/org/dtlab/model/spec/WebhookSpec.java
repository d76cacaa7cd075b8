package org.dtlab.model.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dtlab.model.Names;
import org.dtlab.model.ValidationException;
import org.dtlab.model.event.TwinEvent;

import java.time.Instant;

/**
 * A webhook subscription: events of {@code eventType} are POSTed to {@code target}.
 *
 * <p>Beyond the original (which stored but ignored them), {@code dtType} ({@code *} or absent = all
 * types) and {@code dtPrefix} (a twin path prefix, e.g. {@code /building/b1}) filter the events.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookSpec(
        String name,
        WebhookTarget target,
        String dtType,
        String dtPrefix,
        EventType eventType,
        Instant created) {

    public WebhookSpec {
        Names.check("webhook name", name);
        if (target == null) {
            throw new ValidationException("webhook target is required");
        }
        if (eventType == null) {
            throw new ValidationException(
                    "webhook eventType is required: Creation, StateChange, AlarmRaised or"
                            + " AlarmCleared");
        }
    }

    /** This webhook with the given name and creation time (the request body carries neither). */
    public WebhookSpec named(String webhookName, Instant at) {
        return new WebhookSpec(
                webhookName, target, dtType, dtPrefix, eventType, created != null ? created : at);
    }

    /** Whether this webhook receives the event. */
    public boolean matches(TwinEvent event) {
        if (event.type() != eventType) {
            return false;
        }
        if (dtType != null && !dtType.equals("*") && !dtType.equals(event.dtType())) {
            return false;
        }
        return dtPrefix == null || dtPrefix.isEmpty() || matchesPrefix(event.path());
    }

    private boolean matchesPrefix(String path) {
        String prefix = dtPrefix.startsWith("/") ? dtPrefix.substring(1) : dtPrefix;
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        // Whole segments only: /building/b1 matches building/b1/floor/f1 but not building/b10.
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
