package org.dtlab.query.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.telemetry.Telemetry;
import org.dtlab.model.telemetry.TwinPath;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The original's output formats of a twin's state and journal ({@code ?format=}): indexed (the
 * default), {@code named}, {@code pathed} and {@code object}.
 */
final class StateFormats {

    /** {@code {"name","value","datetime"}}: the named and pathed forms. */
    record Named(String name, double value, Instant datetime) {}

    /** {@code {"dtType","instanceId","datetime"?,"state"?}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TwinObject(
            String dtType, String instanceId, Instant datetime, Map<String, Double> state) {}

    private StateFormats() {}

    static Object format(
            String format,
            List<Telemetry> entries,
            TwinType type,
            TwinPath path,
            boolean allowObject) {
        if ("named".equals(format)) {
            return named(entries, type, "");
        }
        if ("pathed".equals(format)) {
            return named(entries, type, String.join(".", path.segments()) + ".");
        }
        if ("object".equals(format) && allowObject) {
            return object(entries, type, path);
        }
        return entries;
    }

    private static List<Named> named(List<Telemetry> entries, TwinType type, String prefix) {
        List<Named> named = new ArrayList<>(entries.size());
        for (Telemetry t : entries) {
            named.add(new Named(prefix + type.propName(t.idx()), t.value(), t.datetime()));
        }
        return named;
    }

    private static TwinObject object(List<Telemetry> entries, TwinType type, TwinPath path) {
        if (entries.isEmpty()) {
            return new TwinObject(path.type(), path.instanceId(), null, null);
        }
        Telemetry newest = null;
        Map<String, Double> state = new LinkedHashMap<>();
        for (Telemetry t : entries) {
            state.put(type.propName(t.idx()), t.value());
            if (newest == null || t.isAfter(newest)) {
                newest = t;
            }
        }
        return new TwinObject(
                path.type(), path.instanceId(), newest == null ? null : newest.datetime(), state);
    }
}
