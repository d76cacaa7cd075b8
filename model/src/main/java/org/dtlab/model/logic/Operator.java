package org.dtlab.model.logic;

import org.dtlab.model.event.ActiveAlarm;
import org.dtlab.model.expr.Expression;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.state.OperatorMemory;

/**
 * A compiled operator: built once when its definition is accepted ({@link Operators#compile}), then
 * run by {@link TwinMachine} for every telemetry on one of its inputs and whenever a deadline it
 * set is due. Implementations are immutable; what they remember per twin lives in the twin's {@link
 * OperatorMemory}, read and written through the {@link Step}.
 */
public interface Operator {

    /** The definition this operator was compiled from. */
    OperatorSpec spec();

    /** Whether a telemetry on {@code idx} runs this operator. */
    boolean triggeredBy(int idx);

    /**
     * The {@code when} condition that must hold for a telemetry to run this operator, or {@code
     * null}. Alarms return {@code null}: for them {@code when} is the alarm's condition itself.
     */
    Expression gate();

    /** Runs for a telemetry on one of its inputs, {@link #gate()} permitting. */
    void onTelemetry(Step step);

    /** Runs at a deadline this operator set in its memory; it must set a later one or none. */
    default void onDeadline(Step step) {}

    /**
     * What the operator's memory depends on (implementation and settings), or {@code null} if it
     * keeps none. Memory built under another definition is dropped.
     */
    default String definition() {
        return null;
    }

    /** The alarm this memory says is active, or {@code null}. */
    default ActiveAlarm activeAlarm(OperatorMemory memory) {
        return null;
    }
}
