package org.dtlab.model.logic;

import org.dtlab.model.expr.Expression;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.state.OperatorMemory;
import org.dtlab.model.telemetry.Telemetry;

import java.util.Locale;

/**
 * {@code window}: a tumbling event-time window of {@code size}, aligned to the epoch, over its one
 * input. When the window closes — at its end, a deadline, so it closes even if the twin sends
 * nothing more — {@code output[0]} receives the aggregate, stamped with the window's end. Empty
 * windows write nothing.
 *
 * <p>Memory: {@code [start, count, sum, sumOfSquares, min, max, first, firstTime, last, lastTime]}.
 * After a close the memory keeps the closed window's end as {@code start} with a count of 0, so a
 * telemetry older than that (it belongs to a closed window) is counted as late and not merged.
 * Within the open window order does not matter: first and last are by event time.
 */
final class WindowOperator extends BaseOperator {

    /** The aggregates a window can write. */
    enum Agg {
        AVG,
        MIN,
        MAX,
        SUM,
        COUNT,
        STDDEV,
        FIRST,
        LAST;

        static Agg of(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private static final int START = 0;
    private static final int COUNT = 1;
    private static final int SUM = 2;
    private static final int SUM_SQ = 3;
    private static final int MIN = 4;
    private static final int MAX = 5;
    private static final int FIRST = 6;
    private static final int FIRST_TIME = 7;
    private static final int LAST = 8;
    private static final int LAST_TIME = 9;

    private final long sizeMs;
    private final Agg agg;

    WindowOperator(OperatorSpec spec, Expression gate, long sizeMs, Agg agg) {
        super(spec, gate);
        this.sizeMs = sizeMs;
        this.agg = agg;
    }

    @Override
    public String definition() {
        return "window/" + sizeMs + "/" + agg;
    }

    @Override
    public void onTelemetry(Step step) {
        Telemetry t = step.trigger();
        long time = step.timeMillis();
        long start = Math.floorDiv(time, sizeMs) * sizeMs;
        OperatorMemory m = step.memory(this);
        double[] w;
        if (m == null || m.value(COUNT) == 0) {
            if (m != null && time < m.value(START)) {
                step.late();
                return;
            }
            w =
                    new double[] {
                        start,
                        0,
                        0,
                        0,
                        Double.MAX_VALUE,
                        -Double.MAX_VALUE,
                        0,
                        Long.MAX_VALUE,
                        0,
                        Long.MIN_VALUE
                    };
        } else {
            w = m.values();
            if (start != w[START]) {
                // Deadlines are settled before a telemetry, so an open window is this telemetry's
                // or a later one: an older telemetry belongs to a closed window.
                step.late();
                return;
            }
        }
        double v = t.value();
        w[COUNT] += 1;
        w[SUM] += v;
        w[SUM_SQ] += v * v;
        w[MIN] = Math.min(w[MIN], v);
        w[MAX] = Math.max(w[MAX], v);
        if (time < w[FIRST_TIME]) {
            w[FIRST] = v;
            w[FIRST_TIME] = time;
        }
        if (time >= w[LAST_TIME]) {
            w[LAST] = v;
            w[LAST_TIME] = time;
        }
        step.remember(this, start + sizeMs, w);
    }

    @Override
    public void onDeadline(Step step) {
        OperatorMemory m = step.memory(this);
        double n = m.value(COUNT);
        if (n > 0) {
            step.write(
                    output(0),
                    switch (agg) {
                        case AVG -> m.value(SUM) / n;
                        case MIN -> m.value(MIN);
                        case MAX -> m.value(MAX);
                        case SUM -> m.value(SUM);
                        case COUNT -> n;
                        case STDDEV ->
                                Math.sqrt(
                                        Math.max(
                                                0,
                                                m.value(SUM_SQ) / n
                                                        - Math.pow(m.value(SUM) / n, 2)));
                        case FIRST -> m.value(FIRST);
                        case LAST -> m.value(LAST);
                    });
        }
        step.remember(this, OperatorMemory.NO_DEADLINE, m.value(START) + sizeMs, 0);
    }
}
