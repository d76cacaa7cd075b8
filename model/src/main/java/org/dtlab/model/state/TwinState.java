package org.dtlab.model.state;

import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.telemetry.Telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything one twin keeps: its properties (the last telemetry per {@code idx}, sorted by {@code
 * idx}), its own operators, what its operators remember, and two counters.
 *
 * <p>{@code sequence} is the number of telemetry the twin has journaled (the journal's sequence
 * number); {@code version} counts every change of this record — telemetry, operator commands and
 * operator timers alike — and orders the twin's state rows in the journal database.
 */
public record TwinState(
        long sequence,
        long version,
        List<Telemetry> properties,
        List<OperatorSpec> operators,
        List<OperatorMemory> memory) {

    public static final TwinState EMPTY = new TwinState(0, 0, List.of(), List.of(), List.of());

    public TwinState {
        properties = List.copyOf(properties);
        operators = List.copyOf(operators);
        memory = memory == null ? List.of() : List.copyOf(memory);
        for (int i = 1; i < properties.size(); i++) {
            if (properties.get(i - 1).idx() >= properties.get(i).idx()) {
                throw new IllegalArgumentException("properties must be sorted by unique idx");
            }
        }
    }

    /** Whether the twin has never accepted anything. */
    public boolean isNew() {
        return version == 0;
    }

    /** The current telemetry of a property. */
    public Optional<Telemetry> get(int idx) {
        Telemetry t = find(idx);
        return Optional.ofNullable(t);
    }

    /** The current telemetry of a property, or {@code null}: for the per-record path. */
    public Telemetry find(int idx) {
        int lo = 0;
        int hi = properties.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int at = properties.get(mid).idx();
            if (at < idx) {
                lo = mid + 1;
            } else if (at > idx) {
                hi = mid - 1;
            } else {
                return properties.get(mid);
            }
        }
        return null;
    }

    /** The memory of an operator, or {@code null}. */
    public OperatorMemory memoryOf(String operator) {
        for (OperatorMemory m : memory) {
            if (m.operator().equals(operator)) {
                return m;
            }
        }
        return null;
    }

    /**
     * The earliest time an operator must run without telemetry, or {@link
     * OperatorMemory#NO_DEADLINE}.
     */
    public long nextDeadline() {
        long next = OperatorMemory.NO_DEADLINE;
        for (OperatorMemory m : memory) {
            next = Math.min(next, m.deadline());
        }
        return next;
    }

    /** This state with the twin's operator of the same name replaced, or the operator added. */
    public TwinState withOperator(OperatorSpec operator) {
        List<OperatorSpec> next = new ArrayList<>(operators.size() + 1);
        boolean replaced = false;
        for (OperatorSpec existing : operators) {
            if (existing.name().equals(operator.name())) {
                next.add(operator);
                replaced = true;
            } else {
                next.add(existing);
            }
        }
        if (!replaced) {
            next.add(operator);
        }
        return new TwinState(sequence, version + 1, properties, next, memory);
    }

    /**
     * This state with an operator's memory replaced (or added), the twin otherwise unchanged: the
     * memory is bookkeeping, not a change anyone sees.
     */
    public TwinState withMemory(OperatorMemory m) {
        List<OperatorMemory> next = new ArrayList<>(memory.size() + 1);
        boolean replaced = false;
        for (OperatorMemory existing : memory) {
            if (existing.operator().equals(m.operator())) {
                next.add(m);
                replaced = true;
            } else {
                next.add(existing);
            }
        }
        if (!replaced) {
            next.add(m);
        }
        return new TwinState(sequence, version, properties, operators, next);
    }

    /** This state without any operators of its own. */
    public TwinState withoutOperators() {
        return new TwinState(sequence, version + 1, properties, List.of(), memory);
    }
}
