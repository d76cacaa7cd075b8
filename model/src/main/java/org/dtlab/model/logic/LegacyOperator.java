package org.dtlab.model.logic;

import org.dtlab.model.expr.Expression;
import org.dtlab.model.spec.OperatorSpec;

/**
 * One of the original DT Lab's operators ({@link BuiltinOperator}): it sees the twin's state before
 * the telemetry, exactly as in the original, whatever operators ran before it.
 */
final class LegacyOperator extends BaseOperator {

    private final BuiltinOperator builtin;

    LegacyOperator(OperatorSpec spec, Expression gate, BuiltinOperator builtin) {
        super(spec, gate);
        this.builtin = builtin;
    }

    @Override
    public void onTelemetry(Step step) {
        builtin.apply(step.pre(), step.trigger(), spec().output(), step.writes());
    }
}
