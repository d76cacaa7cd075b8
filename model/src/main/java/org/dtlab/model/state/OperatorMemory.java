package org.dtlab.model.state;

import java.util.Arrays;

/**
 * What one operator of a twin remembers between inputs, beyond the twin's property values: an
 * alarm's pending or active state, a window's accumulator.
 *
 * <p>The layout of {@code values} belongs to the operator's implementation. {@code definition}
 * identifies the settings the memory was built under (implementation, durations, aggregate): when
 * an operator of the same name arrives with other settings, the memory is dropped and the operator
 * starts afresh.
 *
 * @param operator the operator's name
 * @param deadline event time (epoch ms) at which the operator must run again even if no telemetry
 *     arrives, or {@link Long#MAX_VALUE} for none
 */
public record OperatorMemory(String operator, String definition, long deadline, double[] values) {

    public static final long NO_DEADLINE = Long.MAX_VALUE;

    public OperatorMemory {
        values = values.clone();
    }

    /** A copy of the values, to change. */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** One value, without copying. */
    public double value(int i) {
        return values[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OperatorMemory m
                && operator.equals(m.operator)
                && definition.equals(m.definition)
                && deadline == m.deadline
                && Arrays.equals(values, m.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * operator.hashCode() + Long.hashCode(deadline)) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return operator
                + "["
                + definition
                + ", deadline="
                + deadline
                + ", "
                + Arrays.toString(values)
                + "]";
    }
}
