package org.dtlab.model.logic;

import org.dtlab.model.control.Registry;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Contribution;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.model.telemetry.TwinPath;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A whole run of many twins through {@link TwinMachine}, without Flink: what the twin job computes
 * for a set of messages, as a reference to hold the job (live and back-test) to, and a way to try
 * definitions in a unit test.
 *
 * <p>It works as a BATCH back-test does: level by level, deepest first; each twin's messages in the
 * order given (each twin's own messages must be in event-time order, as on a Kafka partition); a
 * twin whose type has roll-ups in event-time order, its own messages before its children's reports
 * of the same instant; at the end every deadline up to {@code until} settled.
 */
public final class ReferenceRun {

    /** The outcome of a run: every twin's final state, and what the job would have written. */
    public record Result(
            Map<String, TwinState> states, List<TwinEvent> events, List<JournalEntry> journal) {}

    private ReferenceRun() {}

    /**
     * @param messages the messages of all twins, each with its datetime set
     * @param until event time reached at the end (e.g. {@code Long.MAX_VALUE}, as at the end of a
     *     back-test)
     */
    public static Result run(Registry registry, List<TwinMessage> messages, long until) {
        TreeMap<Integer, Map<String, List<Input>>> byLevel =
                new TreeMap<>(Comparator.reverseOrder());
        for (TwinMessage m : messages) {
            TwinPath path = TwinPath.parse(m.path());
            byLevel.computeIfAbsent(path.levels(), l -> new LinkedHashMap<>())
                    .computeIfAbsent(path.toString(), p -> new ArrayList<>())
                    .add(new Input(m, null));
        }
        Map<String, TwinState> states = new TreeMap<>();
        List<TwinEvent> events = new ArrayList<>();
        List<JournalEntry> journal = new ArrayList<>();
        while (!byLevel.isEmpty()) {
            Map.Entry<Integer, Map<String, List<Input>>> level = byLevel.pollFirstEntry();
            for (Map.Entry<String, List<Input>> twin : level.getValue().entrySet()) {
                TwinPath path = TwinPath.parse(twin.getKey());
                List<Input> inputs = twin.getValue();
                if (TwinMachine.ordersByEventTime(registry, path.type())) {
                    inputs.sort(
                            Comparator.comparingLong(Input::time)
                                    .thenComparing(
                                            Input::contribution,
                                            Comparator.nullsFirst(
                                                    Contribution.SAME_INSTANT_ORDER)));
                }
                TwinState state = TwinState.EMPTY;
                ChildValues children = ChildValues.inMemory();
                List<Outcome> outcomes = new ArrayList<>();
                for (Input input : inputs) {
                    Outcome o =
                            input.contribution() != null
                                    ? TwinMachine.onContribution(
                                            registry, path, state, input.contribution(), children)
                                    : TwinMachine.onMessage(registry, path, state, input.message());
                    outcomes.add(o);
                    state = o.state();
                }
                Outcome end = TwinMachine.onTime(registry, path, state, until);
                outcomes.add(end);
                state = end.state();
                for (Outcome o : outcomes) {
                    events.addAll(o.events());
                    journal.addAll(o.journal());
                    for (Contribution c : o.contributions()) {
                        TwinPath parent = TwinPath.parse(c.parent());
                        byLevel.computeIfAbsent(parent.levels(), l -> new LinkedHashMap<>())
                                .computeIfAbsent(c.parent(), p -> new ArrayList<>())
                                .add(new Input(null, c));
                    }
                }
                if (!state.isNew()) {
                    states.put(path.toString(), state);
                }
            }
        }
        return new Result(states, events, journal);
    }

    private record Input(TwinMessage message, Contribution contribution) {
        long time() {
            return contribution != null
                    ? contribution.datetime().toEpochMilli()
                    : message.datetime().toEpochMilli();
        }
    }
}
