package org.dtlab.model.logic;

import org.dtlab.model.spec.OperatorSpec;

/**
 * An operator that does nothing: an unknown implementation (stored, as in the original) or a
 * built-in with too few outputs.
 */
final class InertOperator extends BaseOperator {

    InertOperator(OperatorSpec spec) {
        super(spec, null);
    }

    @Override
    public void onTelemetry(Step step) {}
}
