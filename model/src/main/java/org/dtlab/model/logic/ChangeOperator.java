package org.dtlab.model.logic;

import org.dtlab.model.expr.Expression;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.telemetry.Telemetry;

/**
 * The change and smoothing operators over their one input: {@code delta}, {@code rate}, {@code
 * integral}, {@code counter} and {@code ewma}. They read the input's previous value and time from
 * the twin's state and accumulate in their output, so they keep no memory of their own (a telemetry
 * written to the output directly resets the accumulation, as for {@code count}).
 *
 * <p>A telemetry older than the input's previous one is counted as late and ignored: a rate over
 * negative time means nothing. (BATCH back-tests sort each twin's records, so they never see it.)
 */
final class ChangeOperator extends BaseOperator {

    enum Kind {
        /** value − previous value. */
        DELTA,
        /** (value − previous value) per second of event time. */
        RATE,
        /** Trapezoidal integral over event time in seconds, from 0 at the first value. */
        INTEGRAL,
        /**
         * A cumulative meter: adds increases; a drop is a reset, so the new value is the increase.
         */
        COUNTER,
        /**
         * Exponentially weighted moving average with α = {@code params[0]}; starts at the first
         * value.
         */
        EWMA
    }

    private final Kind kind;
    private final double alpha;

    ChangeOperator(OperatorSpec spec, Expression gate, Kind kind, double alpha) {
        super(spec, gate);
        this.kind = kind;
        this.alpha = alpha;
    }

    @Override
    public void onTelemetry(Step step) {
        Telemetry t = step.trigger();
        Telemetry prev = step.pre().find(t.idx());
        int out = output(0);
        double acc = step.value(out);
        if (prev != null && prev.isAfter(t)) {
            step.late();
            return;
        }
        double v = t.value();
        switch (kind) {
            case DELTA -> {
                if (prev != null) {
                    step.write(out, v - prev.value());
                }
            }
            case RATE -> {
                if (prev != null) {
                    double seconds = seconds(prev, t);
                    if (seconds > 0) {
                        step.write(out, (v - prev.value()) / seconds);
                    } else {
                        step.unevaluated();
                    }
                }
            }
            case INTEGRAL -> {
                double base = Double.isNaN(acc) ? 0 : acc;
                step.write(
                        out,
                        prev == null ? base : base + (v + prev.value()) / 2 * seconds(prev, t));
            }
            case COUNTER -> {
                double base = Double.isNaN(acc) ? 0 : acc;
                step.write(
                        out,
                        prev == null ? base : base + (v >= prev.value() ? v - prev.value() : v));
            }
            case EWMA -> step.write(out, Double.isNaN(acc) ? v : alpha * v + (1 - alpha) * acc);
        }
    }

    private static double seconds(Telemetry from, Telemetry to) {
        return (to.epochMilli() - from.epochMilli()) / 1000.0;
    }
}
