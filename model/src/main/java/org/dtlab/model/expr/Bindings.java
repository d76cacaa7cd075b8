package org.dtlab.model.expr;

/**
 * Values an expression reads: supplied by the twin state machine for each evaluation.
 *
 * <p>Properties are addressed by index (their position in the type's property list) rather than by
 * name so that the state machine can answer from its arrays without building a map per evaluation;
 * the compiled {@link Expression} does the name-to-index translation once, when it is compiled. An
 * implementation is only read during {@link Expression#evaluate} or {@link Expression#test} and
 * need not be thread-safe.
 */
public interface Bindings {

    /** The current value of the property at idx, or NaN if the twin has no value for it. */
    double value(int idx);

    /** The value of the property at idx before the triggering telemetry, or NaN if none. */
    double previous(int idx);

    /** The event time of the triggering telemetry or timer, epoch milliseconds. */
    long timeMillis();
}
