package org.dtlab.query.api;

import org.dtlab.model.ValidationException;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.telemetry.TwinPath;
import org.dtlab.query.stream.EventFilter;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which requests are event streams, and what they subscribe to: {@code GET
 * /stream?type=&prefix=&event=} (the firehose, filtered) and {@code GET
 * /actor/{path}/stream?event=} (one twin). Parameters are checked before the stream opens — an
 * unknown event type is a 400, a twin path that does not fit the types a 404 — but a filter that
 * matches no twin is fine: it streams nothing until one matches.
 */
public final class StreamResource {

    private final Commands commands;

    public StreamResource(Commands commands) {
        this.commands = commands;
    }

    /** {@code GET /stream}: every twin's events, filtered by the query. */
    public Answer all(Request request) {
        return new Answer.Stream(
                new EventFilter(
                        null,
                        blankToNull(request.query("type")),
                        prefix(request.query("prefix")),
                        events(request)));
    }

    /** {@code GET /actor/{path}/stream}: one twin's events. */
    public Answer twin(Request request) {
        TwinPath path;
        try {
            path = new TwinPath(request.params().path());
            commands.registry().resolve(path);
        } catch (ValidationException e) {
            throw new ApiException(404, e.getMessage());
        }
        return new Answer.Stream(EventFilter.twin(path.toString(), events(request)));
    }

    private static Set<EventType> events(Request request) {
        String text = request.query("event");
        if (text == null || text.isBlank()) {
            return Set.of();
        }
        Set<EventType> types = EnumSet.noneOf(EventType.class);
        for (String name : text.split(",")) {
            types.add(
                    Arrays.stream(EventType.values())
                            .filter(t -> t.jsonName().equals(name.strip()))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new ApiException(
                                                    400,
                                                    "event must be one or more of "
                                                            + names()
                                                            + " (comma-separated), got '"
                                                            + name.strip()
                                                            + "'")));
        }
        return types;
    }

    private static String names() {
        return Arrays.stream(EventType.values())
                .map(EventType::jsonName)
                .collect(Collectors.joining(", "));
    }

    /** A path prefix on whole segments; slashes around it do not matter ({@code /building/b1/}). */
    private static String prefix(String text) {
        if (text == null) {
            return null;
        }
        String prefix = text.strip();
        while (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return prefix.isEmpty() ? null : prefix;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
