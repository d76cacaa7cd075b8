package org.dtlab.model.logic;

import org.dtlab.model.expr.Bindings;
import org.dtlab.model.expr.Expression;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Telemetry;

/**
 * The child's side of one roll-up, compiled against the child's type: what a child twin contributes
 * to its parent. A child counts from its first value of the rolled-up property.
 */
public final class Contributor {

    private final String rollup;
    private final int definition;
    private final int property;
    private final boolean presence;
    private final Expression where;

    /** The properties {@code where} reads (copied once: the expression hands out copies). */
    private final int[] whereReads;

    /**
     * @param presence the child contributes 1 once it has the property ({@code count})
     * @param where the child contributes 1 if it holds, else 0 ({@code count_where}), or {@code
     *     null}
     */
    Contributor(String rollup, int definition, int property, boolean presence, Expression where) {
        this.rollup = rollup;
        this.definition = definition;
        this.property = property;
        this.presence = presence;
        this.where = where;
        this.whereReads = where == null ? new int[0] : where.reads();
    }

    /** The roll-up's name. */
    public String rollup() {
        return rollup;
    }

    /** The hash of the roll-up's definition, which the child's reports carry. */
    public int definition() {
        return definition;
    }

    /**
     * Whether a telemetry on {@code idx} must be reported to the parent even if the value stays.
     */
    boolean reads(int idx) {
        if (idx == property) {
            return true;
        }
        for (int read : whereReads) {
            if (read == idx) {
                return true;
            }
        }
        return false;
    }

    /**
     * The child's value for the roll-up in {@code state}, or NaN if it has none yet. A condition
     * that cannot be evaluated (a value it reads is missing) counts as false.
     */
    double valueOf(TwinState state, long time) {
        Telemetry t = state.find(property);
        if (t == null) {
            return Double.NaN;
        }
        if (presence) {
            return 1;
        }
        if (where != null) {
            return Boolean.TRUE.equals(where.test(new StateBindings(state, time))) ? 1 : 0;
        }
        return t.value();
    }

    /** A twin's properties as an expression reads them; {@code prev} is the current value too. */
    private record StateBindings(TwinState state, long timeMillis) implements Bindings {
        @Override
        public double value(int idx) {
            Telemetry t = state.find(idx);
            return t == null ? Double.NaN : t.value();
        }

        @Override
        public double previous(int idx) {
            return value(idx);
        }
    }
}
