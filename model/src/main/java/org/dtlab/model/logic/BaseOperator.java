package org.dtlab.model.logic;

import org.dtlab.model.expr.Expression;
import org.dtlab.model.spec.OperatorSpec;

/** The part every operator shares: its definition, its trigger indexes and its gate. */
abstract class BaseOperator implements Operator {

    private final OperatorSpec spec;
    private final int[] inputs;
    private final Expression gate;

    BaseOperator(OperatorSpec spec, Expression gate) {
        this.spec = spec;
        this.inputs = spec.input().stream().mapToInt(Integer::intValue).toArray();
        this.gate = gate;
    }

    @Override
    public final OperatorSpec spec() {
        return spec;
    }

    @Override
    public final boolean triggeredBy(int idx) {
        for (int input : inputs) {
            if (input == idx) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Expression gate() {
        return gate;
    }

    final int output(int i) {
        return spec.output().get(i);
    }

    final String name() {
        return spec.name();
    }
}
