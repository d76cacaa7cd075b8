package org.dtlab.model.logic;

import org.dtlab.model.ValidationException;
import org.dtlab.model.control.Registry;
import org.dtlab.model.event.ActiveAlarm;
import org.dtlab.model.event.AlarmDetail;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.expr.Expression;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.state.OperatorMemory;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Contribution;
import org.dtlab.model.telemetry.Telemetry;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.model.telemetry.TwinPath;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The whole per-twin state machine, free of Flink: {@code (registry, twin, state, input) →
 * outcome}, where an input is a message of the keyed stream or the passing of event time. The Flink
 * operator only loads and stores the state, sets a timer at {@link Outcome#nextDeadline()} and
 * emits the outcome; back-tests, the live job and tests run exactly this code.
 *
 * <p>Time is event time everywhere. Before a telemetry of time {@code t} is applied, every deadline
 * of the twin up to and including {@code t} is settled, each distinct deadline instant in its own
 * step, in order: so a twin's results do not depend on when a timer happened to fire (in BATCH mode
 * all of a twin's timers fire after all its records), only on its records and on how far event time
 * has advanced.
 *
 * <p>A telemetry step, with the original DT Lab's rules (dtlab-api.md §6.2, §8): every operator
 * whose {@code input} contains the telemetry's idx (and whose {@code when} holds) runs, in order —
 * the type's operators, then the twin's own; the original's six see the state before the telemetry,
 * the programmable ones the state after it and after the operators before them; outputs never
 * trigger other operators; the telemetry itself is applied last and wins over an operator writing
 * its idx; the twin changed if a value differs or a new idx appeared.
 */
public final class TwinMachine {

    private TwinMachine() {}

    /** Applies one message of the keyed stream (telemetry or a command on the twin's operators). */
    public static Outcome onMessage(
            Registry registry, TwinPath path, TwinState state, TwinMessage message) {
        CompiledType type;
        try {
            type = registry.compiled(path);
        } catch (ValidationException e) {
            return Outcome.rejected(state, e.getMessage());
        }
        Run run = new Run(registry, path, type, state);
        try {
            switch (message.command()) {
                case TELEMETRY -> {
                    int idx = type.spec().propertyIndex(message.idx(), message.name());
                    run.settle(message.datetime().toEpochMilli());
                    run.telemetry(new Telemetry(idx, message.value(), message.datetime()));
                }
                case PUT_OPERATOR -> {
                    OperatorSpec operator = message.operator().createdAt(message.datetime());
                    type.compileOwn(operator);
                    if (state.operators().stream().noneMatch(o -> o.name().equals(operator.name()))
                            && state.operators().size() >= Operators.MAX_OPERATORS) {
                        throw new ValidationException(
                                "a twin has at most "
                                        + Operators.MAX_OPERATORS
                                        + " operators of its own");
                    }
                    run.replace(state.withOperator(operator));
                }
                case DELETE_OPERATORS -> run.replace(state.withoutOperators());
            }
        } catch (ValidationException e) {
            return Outcome.rejected(state, e.getMessage());
        }
        return run.outcome();
    }

    /** Event time has reached {@code time}: settles the twin's deadlines up to it. */
    public static Outcome onTime(Registry registry, TwinPath path, TwinState state, long time) {
        CompiledType type;
        try {
            type = registry.compiled(path);
        } catch (ValidationException e) {
            // The type is gone: its twins do nothing until it is back.
            return Outcome.unchanged(state);
        }
        Run run = new Run(registry, path, type, state);
        run.settle(time);
        return run.outcome();
    }

    /**
     * Applies what a child reported for the twin's roll-ups: each roll-up whose aggregate changes
     * writes its output as a telemetry of the twin, stamped with the child's time, so the twin's
     * operators, journal and webhooks see it like any other.
     *
     * @param children the twin's record of its children's values (its keyed map state in the job)
     */
    public static Outcome onContribution(
            Registry registry,
            TwinPath path,
            TwinState state,
            Contribution contribution,
            ChildValues children) {
        CompiledType type;
        try {
            type = registry.compiled(path);
        } catch (ValidationException e) {
            return Outcome.unchanged(
                    state); // the type is gone or changed its children: nothing to roll up
        }
        Run run = new Run(registry, path, type, state);
        run.settle(contribution.datetime().toEpochMilli());
        run.contribution(contribution, children);
        return run.outcome();
    }

    /**
     * Whether the twin applies its inputs in event-time order, waiting for event time to pass them:
     * a twin whose type has roll-ups, whose inputs come from several children, in whatever order
     * they arrive. Ordering them makes its results those of a back-test.
     */
    public static boolean ordersByEventTime(Registry registry, String typeName) {
        return registry.compiledType(typeName).map(t -> !t.rollups().isEmpty()).orElse(false);
    }

    /**
     * The row of a twin in the state table for its state: the row the outcome that last changed the
     * twin gave, or {@code null} for a twin that never changed (nor has a row of its own) or whose
     * type is gone. What a run that writes only each twin's last row (a back-test) writes.
     */
    public static TwinSnapshot row(Registry registry, TwinPath path, TwinState state) {
        if (state.isNew()) {
            return null;
        }
        CompiledType type;
        try {
            type = registry.compiled(path);
        } catch (ValidationException e) {
            return null;
        }
        return snapshot(path, type.spec().name(), state, type.operators(state.operators()));
    }

    /** The row of a twin in the state table, with its active alarms. */
    public static TwinSnapshot snapshot(
            TwinPath path, String dtType, TwinState state, List<Operator> operators) {
        Telemetry newest = null;
        for (Telemetry t : state.properties()) {
            if (newest == null || t.isAfter(newest)) {
                newest = t;
            }
        }
        Instant updated = newest == null ? null : newest.datetime();
        List<ActiveAlarm> alarms = List.of();
        if (!state.memory().isEmpty()) {
            alarms = new ArrayList<>(1);
            for (Operator op : operators) {
                OperatorMemory m = state.memoryOf(op.spec().name());
                ActiveAlarm active =
                        m != null && m.definition().equals(op.definition())
                                ? op.activeAlarm(m)
                                : null;
                if (active != null) {
                    alarms.add(active);
                }
            }
        }
        return new TwinSnapshot(
                path.toString(),
                path.parent().map(TwinPath::toString).orElse(null),
                dtType,
                path.instanceId(),
                state.version(),
                state.sequence(),
                state.properties(),
                state.operators(),
                updated,
                alarms);
    }

    /** The steps of one input, and what they emit. */
    private static final class Run {
        private final TwinPath path;
        private final String key;
        private final CompiledType type;

        /** What this twin contributes to its parent's roll-ups (empty for most twins). */
        private final List<Contributor> contributors;

        private final boolean wasNew;
        private TwinState state;
        private final List<JournalEntry> journal = new ArrayList<>(1);
        private final List<TwinEvent> events = new ArrayList<>(2);

        /** The twin's newest row: one per input is enough, the table keeps only the newest. */
        private TwinSnapshot latest;

        private boolean late;
        private int unevaluated;
        private int lateForOperators;
        private List<Contribution> contributions = List.of();
        private int refusedChildren;

        Run(Registry registry, TwinPath path, CompiledType type, TwinState state) {
            this.path = path;
            this.key = path.toString();
            this.type = type;
            int levels = path.levels();
            this.contributors =
                    levels > 1
                            ? registry.contributors(path.typeAt(levels - 2), type.spec().name())
                            : List.of();
            this.wasNew = state.isNew();
            this.state = state;
        }

        void settle(long time) {
            for (long due = state.nextDeadline();
                    due != OperatorMemory.NO_DEADLINE && due <= time;
                    due = state.nextDeadline()) {
                deadlines(due);
            }
        }

        private void deadlines(long time) {
            Step step = new Step(state, null, time);
            List<Operator> ops = type.operators(state.operators());
            dropOrphans(step, ops, type);
            for (Operator op : ops) {
                OperatorMemory m = step.memory(op);
                if (m != null
                        && m.deadline() != OperatorMemory.NO_DEADLINE
                        && m.deadline() <= time) {
                    op.onDeadline(step);
                }
            }
            // An operator must move its deadline on; one that did not is disarmed, never looped on.
            for (Map.Entry<String, OperatorMemory> e : step.memories().entrySet()) {
                OperatorMemory m = e.getValue();
                if (m.deadline() != OperatorMemory.NO_DEADLINE && m.deadline() <= time) {
                    e.setValue(
                            new OperatorMemory(
                                    m.operator(),
                                    m.definition(),
                                    OperatorMemory.NO_DEADLINE,
                                    m.values()));
                }
            }
            finish(step, ops, "@" + time);
        }

        void telemetry(Telemetry t) {
            for (Telemetry known : state.properties()) {
                if (known.isAfter(t)) {
                    late = true;
                    break;
                }
            }
            Step step = new Step(state, t, t.epochMilli());
            List<Operator> ops = type.operators(state.operators());
            dropOrphans(step, ops, type);
            for (Operator op : ops) {
                if (op.triggeredBy(t.idx()) && gateOpen(op, step)) {
                    op.onTelemetry(step);
                }
            }
            step.writes().put(t.idx(), t);
            finish(step, ops, "");
        }

        void contribution(Contribution c, ChildValues children) {
            for (Contribution.Value v : c.values()) {
                Rollup rollup = type.rollup(v.rollup());
                if (rollup == null || rollup.definitionHash() != v.definition()) {
                    continue; // computed under another definition, by a child that had not seen
                    // this one
                }
                OperatorMemory memory = state.memoryOf(rollup.memoryName());
                OperatorMemory next =
                        rollup.accept(
                                memory != null && rollup.owns(memory) ? memory : null,
                                children,
                                c.child(),
                                v.value(),
                                () -> refusedChildren++);
                if (next == null) {
                    continue;
                }
                double value = rollup.changedValue(next);
                if (Double.isNaN(value)) {
                    state = state.withMemory(next);
                } else {
                    state = state.withMemory(rollup.written(next, value));
                    telemetry(new Telemetry(rollup.output(), value, c.datetime()));
                }
            }
        }

        void replace(TwinState next) {
            state = next;
            latest = snapshot(path, type.spec().name(), next, type.operators(next.operators()));
        }

        private static boolean gateOpen(Operator op, Step step) {
            Expression gate = op.gate();
            if (gate == null) {
                return true;
            }
            Boolean open = gate.test(step);
            if (open == null) {
                step.unevaluated();
                return false;
            }
            return open;
        }

        /**
         * Drops what operators and roll-ups that are gone, or were redefined, remembered; an alarm
         * that was active is cleared (an {@code AlarmCleared} event), so no alarm stays listed for
         * good.
         */
        private static void dropOrphans(Step step, List<Operator> ops, CompiledType type) {
            if (step.memories().isEmpty()) {
                return;
            }
            Iterator<OperatorMemory> it = step.memories().values().iterator();
            while (it.hasNext()) {
                OperatorMemory m = it.next();
                if (m.operator().startsWith(Rollup.MEMORY_PREFIX)) {
                    if (type.rollups().stream().noneMatch(r -> r.owns(m))) {
                        it.remove();
                    }
                    continue;
                }
                boolean current = false;
                for (Operator op : ops) {
                    if (op.spec().name().equals(m.operator())
                            && m.definition().equals(op.definition())) {
                        current = true;
                        break;
                    }
                }
                if (!current) {
                    it.remove();
                    String[] definition = m.definition().split("/");
                    if (AlarmState.isActive(m)
                            && (definition[0].equals("alarm") || definition[0].equals("stale"))) {
                        step.write((int) m.value(AlarmState.OUTPUT), 0);
                        step.alarm(
                                EventType.ALARM_CLEARED,
                                new AlarmDetail(
                                        m.operator(),
                                        definition[1],
                                        Instant.ofEpochMilli((long) m.value(AlarmState.SINCE)),
                                        List.of()));
                    }
                }
            }
        }

        private void finish(Step step, List<Operator> ops, String idSuffix) {
            TwinState pre = step.pre();
            Telemetry trigger = step.trigger();
            TreeMap<Integer, Telemetry> outputs = step.writes();
            List<Telemetry> next = new ArrayList<>(pre.properties().size() + outputs.size());
            boolean changed = false;
            for (Telemetry current : pre.properties()) {
                Telemetry replacement = outputs.remove(current.idx());
                // Insert every new idx below the current one first, keeping the list sorted.
                while (!outputs.isEmpty() && outputs.firstKey() < current.idx()) {
                    next.add(outputs.pollFirstEntry().getValue());
                    changed = true;
                }
                if (replacement == null) {
                    next.add(current);
                } else {
                    next.add(replacement);
                    changed |= Double.compare(replacement.value(), current.value()) != 0;
                }
            }
            if (!outputs.isEmpty()) {
                next.addAll(outputs.values());
                changed = true;
            }
            long sequence = pre.sequence() + (trigger != null ? 1 : 0);
            TwinState after =
                    new TwinState(
                            sequence,
                            pre.version() + 1,
                            next,
                            pre.operators(),
                            new ArrayList<>(step.memories().values()));
            String dtType = type.spec().name();
            if (trigger != null) {
                journal.add(
                        new JournalEntry(
                                key, sequence, trigger.idx(), trigger.value(), trigger.datetime()));
                if (pre.sequence() == 0) {
                    events.add(
                            new TwinEvent(
                                    TwinEvent.idOf(key, sequence, EventType.CREATION),
                                    EventType.CREATION,
                                    key,
                                    dtType,
                                    sequence,
                                    step.at(),
                                    List.of()));
                }
            }
            if (changed) {
                events.add(
                        new TwinEvent(
                                key
                                        + "#"
                                        + sequence
                                        + idSuffix
                                        + "#"
                                        + EventType.STATE_CHANGE.jsonName(),
                                EventType.STATE_CHANGE,
                                key,
                                dtType,
                                sequence,
                                step.at(),
                                after.properties()));
            }
            for (Step.AlarmChange alarm : step.alarms()) {
                events.add(
                        new TwinEvent(
                                key
                                        + "#"
                                        + sequence
                                        + idSuffix
                                        + "#"
                                        + alarm.type().jsonName()
                                        + "#"
                                        + alarm.detail().name(),
                                alarm.type(),
                                key,
                                dtType,
                                sequence,
                                step.at(),
                                after.properties(),
                                alarm.detail()));
            }
            unevaluated += step.unevaluatedCount();
            lateForOperators += step.lateCount();
            if (!contributors.isEmpty()) {
                contribute(pre, after, trigger, step);
            }
            state = after;
            latest = snapshot(path, dtType, after, ops);
        }

        /**
         * Reports this step to the parent's roll-ups: every value that changed, and every value a
         * telemetry was about even if it stayed (so a roll-up defined since learns it).
         */
        private void contribute(TwinState pre, TwinState after, Telemetry trigger, Step step) {
            List<Contribution.Value> values = null;
            for (Contributor c : contributors) {
                double now = c.valueOf(after, step.timeMillis());
                if (Double.isNaN(now)) {
                    continue;
                }
                if (Double.compare(now, c.valueOf(pre, step.timeMillis())) != 0
                        || (trigger != null && c.reads(trigger.idx()))) {
                    if (values == null) {
                        values = new ArrayList<>(contributors.size());
                    }
                    values.add(new Contribution.Value(c.rollup(), c.definition(), now));
                }
            }
            if (values != null) {
                if (contributions.isEmpty()) {
                    contributions = new ArrayList<>(1);
                }
                contributions.add(
                        new Contribution(
                                path.parent().orElseThrow().toString(),
                                key,
                                after.version(),
                                step.at(),
                                values));
            }
        }

        Outcome outcome() {
            if (latest == null) {
                return new Outcome(
                        state,
                        journal,
                        events,
                        List.of(),
                        null,
                        late,
                        unevaluated,
                        lateForOperators,
                        contributions,
                        refusedChildren);
            }
            List<TwinSnapshot> snapshots = new ArrayList<>(1);
            snapshots.add(latest);
            if (wasNew) {
                // Ancestors are listed as children even when they never get telemetry themselves
                // (as in the original): a version-0 row is written if they have none.
                for (Optional<TwinPath> parent = path.parent();
                        parent.isPresent();
                        parent = parent.get().parent()) {
                    snapshots.add(
                            snapshot(
                                    parent.get(), parent.get().type(), TwinState.EMPTY, List.of()));
                }
            }
            return new Outcome(
                    state,
                    journal,
                    events,
                    snapshots,
                    null,
                    late,
                    unevaluated,
                    lateForOperators,
                    contributions,
                    refusedChildren);
        }
    }
}
