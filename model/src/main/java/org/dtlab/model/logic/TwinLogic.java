package org.dtlab.model.logic;

import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Telemetry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pure twin logic: {@code state × telemetry × operators → next state}, with the original DT
 * Lab's semantics (dtlab-api.md §6.2, §8).
 *
 * <ol>
 *   <li>every operator whose {@code input} contains the telemetry's idx runs against the state
 *       <em>before</em> the telemetry; their outputs are merged (a later operator wins on the same
 *       idx) and applied — outputs never trigger other operators;
 *   <li>then the telemetry itself is applied (it wins over an operator writing its idx);
 *   <li>the twin changed if a value differs or a new idx appeared.
 * </ol>
 *
 * <p>Last write wins per idx regardless of datetime order, as in the original. Everything depends
 * only on the inputs, never on the clock, so live runs and replays give identical results.
 */
public final class TwinLogic {

    private TwinLogic() {}

    /** Applies one accepted telemetry; the journal sequence and version advance by one. */
    public static Transition apply(TwinState pre, Telemetry telemetry, List<OperatorSpec> operators) {
        TreeMap<Integer, Telemetry> outputs = new TreeMap<>();
        for (OperatorSpec op : operators) {
            if (op.input().contains(telemetry.idx())) {
                runOperator(op, pre, telemetry, outputs);
            }
        }
        outputs.put(telemetry.idx(), telemetry);

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
        TwinState state = new TwinState(pre.sequence() + 1, pre.version() + 1, next, pre.operators());
        return new Transition(state, changed);
    }

    /**
     * The operators that act on a twin: its type's operators, then its own; an own operator
     * replaces the type's operator of the same name.
     */
    public static List<OperatorSpec> effectiveOperators(List<OperatorSpec> typeOperators, List<OperatorSpec> own) {
        if (typeOperators.isEmpty()) {
            return own;
        }
        if (own.isEmpty()) {
            return typeOperators;
        }
        List<OperatorSpec> all = new ArrayList<>(typeOperators.size() + own.size());
        for (OperatorSpec typeOp : typeOperators) {
            if (own.stream().noneMatch(o -> o.name().equals(typeOp.name()))) {
                all.add(typeOp);
            }
        }
        all.addAll(own);
        return all;
    }

    private static void runOperator(
            OperatorSpec op, TwinState pre, Telemetry telemetry, TreeMap<Integer, Telemetry> outputs) {
        Optional<BuiltinOperator> builtin = BuiltinOperator.forName(op.implementation());
        if (builtin.isEmpty() || op.output().size() < builtin.get().requiredOutputs()) {
            return; // unknown implementations and short output lists do nothing, as in the original
        }
        builtin.get().apply(pre, telemetry, op.output(), outputs);
    }
}
