package org.dtlab.model.logic;

import org.dtlab.model.expr.Expression;
import org.dtlab.model.spec.OperatorSpec;

/** {@code expr}: writes the value of its expression to {@code output[0]}. */
final class ExprOperator extends BaseOperator {

    private final Expression expr;

    ExprOperator(OperatorSpec spec, Expression gate, Expression expr) {
        super(spec, gate);
        this.expr = expr;
    }

    @Override
    public void onTelemetry(Step step) {
        step.write(output(0), expr.evaluate(step));
    }
}
