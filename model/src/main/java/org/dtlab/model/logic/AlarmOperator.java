package org.dtlab.model.logic;

import org.dtlab.model.event.ActiveAlarm;
import org.dtlab.model.expr.Expression;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.state.OperatorMemory;

/**
 * {@code alarm}: raised when {@code when} holds — or, with {@code for}, once it has held for that
 * long in event time (a deadline, so it fires even if the twin sends nothing more) — and cleared
 * when {@code clear} holds (default: when {@code when} no longer does). While inactive only {@code
 * when} is evaluated, while active only the clear condition: hysteresis.
 *
 * <p>Memory: {@code [active, since, output]} ({@link AlarmState}); while pending, the deadline is
 * the start of the condition plus {@code for}.
 */
final class AlarmOperator extends BaseOperator {

    private final Expression when;
    private final Expression clear;
    private final long forMs;
    private final String severity;

    AlarmOperator(
            OperatorSpec spec, Expression when, Expression clear, long forMs, String severity) {
        super(spec, null);
        this.when = when;
        this.clear = clear;
        this.forMs = forMs;
        this.severity = severity;
    }

    @Override
    public String definition() {
        return "alarm/" + severity + "/" + forMs;
    }

    @Override
    public void onTelemetry(Step step) {
        OperatorMemory m = step.memory(this);
        if (AlarmState.isActive(m)) {
            Boolean cleared = clear != null ? clear.test(step) : negate(when.test(step));
            if (cleared == null) {
                step.unevaluated();
            } else if (cleared) {
                AlarmState.clear(this, severity, step, m, OperatorMemory.NO_DEADLINE, 0);
            }
            return;
        }
        Boolean holds = when.test(step);
        if (holds == null) {
            step.unevaluated();
            return;
        }
        boolean pending = m != null && m.deadline() != OperatorMemory.NO_DEADLINE;
        if (!holds) {
            if (pending) {
                AlarmState.remember(this, step, OperatorMemory.NO_DEADLINE, false, 0);
            }
            AlarmState.showInactive(this, step);
        } else if (forMs == 0) {
            AlarmState.raise(this, severity, step);
        } else if (!pending) {
            AlarmState.remember(this, step, step.timeMillis() + forMs, false, step.timeMillis());
            AlarmState.showInactive(this, step);
        }
    }

    @Override
    public void onDeadline(Step step) {
        AlarmState.raise(this, severity, step);
    }

    @Override
    public ActiveAlarm activeAlarm(OperatorMemory memory) {
        return AlarmState.activeAlarm(this, severity, memory);
    }

    private static Boolean negate(Boolean b) {
        return b == null ? null : !b;
    }
}
