package org.dtlab.query.stream;

import org.dtlab.model.spec.EventType;

import java.util.Set;

/**
 * Which events a subscriber gets: of one twin ({@code path}), or of a type, a path prefix (whole
 * segments, as webhooks match) and event types. {@code null} (an empty set for the types) means
 * any. A filter that matches nothing is not an error: it streams nothing until something matches.
 */
public record EventFilter(String path, String dtType, String prefix, Set<EventType> types) {

    public EventFilter {
        types = Set.copyOf(types);
    }

    public static EventFilter twin(String path, Set<EventType> types) {
        return new EventFilter(path, null, null, types);
    }

    public boolean matches(StreamedEvent event) {
        return (path == null || path.equals(event.path()))
                && (dtType == null || dtType.equals(event.dtType()))
                && (prefix == null
                        || event.path().equals(prefix)
                        || event.path().startsWith(prefix + "/"))
                && (types.isEmpty() || types.contains(event.type()));
    }
}
