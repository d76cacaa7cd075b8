package org.dtlab.job.testutils;

import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.logic.ReferenceRun;
import org.dtlab.model.telemetry.Telemetry;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run of the twin pipeline leaves, as the journal database keeps it — each twin's newest
 * state (property values with their times) and the events by id, so replayed duplicates fold away —
 * for comparing live runs, back-tests and the Flink-free model.
 */
public record RunResult(Map<String, List<Telemetry>> states, Map<String, TwinEvent> events) {

    /** From the events and state rows a run emitted (in any order, duplicates included). */
    public static RunResult of(List<TwinEvent> events, List<TwinSnapshot> snapshots) {
        Map<String, TwinEvent> byId = new TreeMap<>();
        events.forEach(e -> byId.put(e.id(), e));
        Map<String, TwinSnapshot> newest = new TreeMap<>();
        for (TwinSnapshot s : snapshots) {
            newest.merge(s.path(), s, (a, b) -> b.version() > a.version() ? b : a);
        }
        Map<String, List<Telemetry>> states = new TreeMap<>();
        newest.forEach(
                (path, s) -> {
                    if (s.version() > 0) {
                        states.put(path, s.state());
                    }
                });
        return new RunResult(states, byId);
    }

    /** From a run of the model. */
    public static RunResult of(ReferenceRun.Result run) {
        Map<String, List<Telemetry>> states = new TreeMap<>();
        run.states().forEach((path, state) -> states.put(path, state.properties()));
        Map<String, TwinEvent> events = new TreeMap<>();
        run.events().forEach(e -> events.put(e.id(), e));
        return new RunResult(states, events);
    }
}
