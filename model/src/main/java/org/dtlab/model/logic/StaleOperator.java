package org.dtlab.model.logic;

import org.dtlab.model.event.ActiveAlarm;
import org.dtlab.model.expr.Expression;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.state.OperatorMemory;

/**
 * {@code stale}: raised when no telemetry arrived on its inputs for {@code for} (event time: a
 * deadline after each telemetry), cleared by the next one. Memory as {@link AlarmState}.
 */
final class StaleOperator extends BaseOperator {

    private final long forMs;
    private final String severity;

    StaleOperator(OperatorSpec spec, Expression gate, long forMs, String severity) {
        super(spec, gate);
        this.forMs = forMs;
        this.severity = severity;
    }

    @Override
    public String definition() {
        return "stale/" + severity + "/" + forMs;
    }

    @Override
    public void onTelemetry(Step step) {
        OperatorMemory m = step.memory(this);
        // Out of order (STREAMING): an older telemetry never shortens the wait.
        long deadline =
                Math.max(
                        step.timeMillis() + forMs,
                        m != null && m.deadline() != OperatorMemory.NO_DEADLINE ? m.deadline() : 0);
        if (AlarmState.isActive(m)) {
            AlarmState.clear(this, severity, step, m, deadline, 0);
        } else {
            AlarmState.remember(this, step, deadline, false, 0);
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
}
