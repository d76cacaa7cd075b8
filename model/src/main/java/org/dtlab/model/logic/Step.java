package org.dtlab.model.logic;

import org.dtlab.model.event.AlarmDetail;
import org.dtlab.model.expr.Bindings;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.state.OperatorMemory;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One step of a twin in the making: a telemetry, or the deadlines due at one instant. Operators
 * read the twin through it (it is the {@link Bindings} of their expressions), write outputs,
 * remember, and raise or clear alarms; {@link TwinMachine} turns the result into the next state and
 * the events.
 *
 * <p>Expressions see the state after the telemetry and after the outputs of the operators that ran
 * before in the same step; the original's operators see the state before it ({@link #pre()}).
 */
public final class Step implements Bindings {

    /** An alarm that was raised or cleared in this step. */
    record AlarmChange(EventType type, AlarmDetail detail) {}

    private final TwinState pre;
    private final Telemetry trigger;
    private final long time;
    private final Instant at;
    private final TreeMap<Integer, Telemetry> writes = new TreeMap<>();
    private final Map<String, OperatorMemory> memory;
    private final List<AlarmChange> alarms = new ArrayList<>(0);
    private int unevaluated;
    private int late;

    Step(TwinState pre, Telemetry trigger, long time) {
        this.pre = pre;
        this.trigger = trigger;
        this.time = time;
        this.at = trigger != null ? trigger.datetime() : Instant.ofEpochMilli(time);
        this.memory = new LinkedHashMap<>();
        for (OperatorMemory m : pre.memory()) {
            memory.put(m.operator(), m);
        }
    }

    /** The twin before this step. */
    public TwinState pre() {
        return pre;
    }

    /** The telemetry of this step, or {@code null} in a step of deadlines. */
    public Telemetry trigger() {
        return trigger;
    }

    /** The event time of this step, as an instant: what outputs are stamped with. */
    public Instant at() {
        return at;
    }

    @Override
    public long timeMillis() {
        return time;
    }

    @Override
    public double value(int idx) {
        if (trigger != null && trigger.idx() == idx) {
            return trigger.value();
        }
        Telemetry written = writes.get(idx);
        if (written != null) {
            return written.value();
        }
        return previous(idx);
    }

    @Override
    public double previous(int idx) {
        Telemetry t = pre.find(idx);
        return t == null ? Double.NaN : t.value();
    }

    /** Writes an output; a value that is not a finite number is not written, but counted. */
    public void write(int idx, double value) {
        if (Double.isFinite(value)) {
            writes.put(idx, new Telemetry(idx, value, at));
        } else {
            unevaluated++;
        }
    }

    /** An operator could not compute its value this time (a missing value, a division by zero). */
    public void unevaluated() {
        unevaluated++;
    }

    /** A telemetry was too old for an operator (older than a closed window or its last input). */
    public void late() {
        late++;
    }

    /** What {@code op} remembers under its current definition, or {@code null}. */
    public OperatorMemory memory(Operator op) {
        OperatorMemory m = memory.get(op.spec().name());
        return m != null && m.definition().equals(op.definition()) ? m : null;
    }

    public void remember(Operator op, long deadline, double... values) {
        memory.put(
                op.spec().name(),
                new OperatorMemory(op.spec().name(), op.definition(), deadline, values));
    }

    void alarm(EventType type, AlarmDetail detail) {
        alarms.add(new AlarmChange(type, detail));
    }

    TreeMap<Integer, Telemetry> writes() {
        return writes;
    }

    Map<String, OperatorMemory> memories() {
        return memory;
    }

    List<AlarmChange> alarms() {
        return alarms;
    }

    int unevaluatedCount() {
        return unevaluated;
    }

    int lateCount() {
        return late;
    }
}
