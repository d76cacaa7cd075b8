package org.dtlab.query.stream;

import org.dtlab.model.spec.EventType;

import java.nio.charset.StandardCharsets;

/**
 * An event as the streams send it: its insertion number in {@code dtlab_events} (the SSE {@code
 * id}, the same in every replica of the service, since the database gives it), what the filters
 * look at, and its SSE frame — {@code id:}, {@code event:} (the event type) and {@code data:} (the
 * body a webhook receives) — rendered once and shared by every stream that sends it.
 */
public record StreamedEvent(long number, String path, String dtType, EventType type, byte[] frame) {

    public static StreamedEvent of(
            long number, String path, String dtType, EventType type, String json) {
        return new StreamedEvent(
                number, path, dtType, type, frame(Long.toString(number), type.jsonName(), json));
    }

    /** One SSE message; {@code json} is one line (the mapper writes no line breaks). */
    public static byte[] frame(String id, String event, String json) {
        return ("id: " + id + "\nevent: " + event + "\ndata: " + json + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
