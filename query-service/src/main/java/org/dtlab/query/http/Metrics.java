package org.dtlab.query.http;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters for {@code /observe}, named as the original's ({@code type_route_post_success},
 * {@code actor_route_get_failure} …), in the Prometheus text format.
 */
public final class Metrics {

    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

    public void count(String route, String method, int status) {
        String name =
                route
                        + "_route_"
                        + method.toLowerCase()
                        + "_"
                        + (status < 400 ? "success" : "failure");
        counters.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(counters)
                .forEach(
                        (name, value) ->
                                out.append("# HELP ")
                                        .append(name)
                                        .append(" The total count.\n")
                                        .append("# TYPE ")
                                        .append(name)
                                        .append(" counter\n")
                                        .append(name)
                                        .append(' ')
                                        .append(value.sum())
                                        .append('\n'));
        return out.toString();
    }
}
