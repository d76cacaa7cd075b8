package org.dtlab.query.api;

import java.util.List;
import java.util.Map;

/**
 * The values of a matched template's parameters: one segment each ({@code {name}}), the segments of
 * {@code {path}} (kept apart: a decoded segment may hold a slash), and whether that path is a type
 * container (a twin path followed by a type, whose instances a GET lists) rather than a twin.
 */
public record Params(Map<String, String> values, List<String> path, boolean typeContainer) {

    public static final Params NONE = new Params(Map.of(), List.of(), false);

    public Params {
        values = Map.copyOf(values);
        path = List.copyOf(path);
    }

    /** The value of {@code {name}}, or {@code null} when the template has no such parameter. */
    public String get(String name) {
        return values.get(name);
    }
}
