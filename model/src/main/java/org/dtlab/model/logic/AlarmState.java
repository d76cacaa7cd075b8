package org.dtlab.model.logic;

import org.dtlab.model.event.ActiveAlarm;
import org.dtlab.model.event.AlarmDetail;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.state.OperatorMemory;
import org.dtlab.model.telemetry.Telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The raise and clear of the operators that are alarms ({@code alarm}, {@code stale}): memory
 * {@code [active (0|1), since (epoch ms), output idx]}, output 1 while active and 0 otherwise, an
 * {@code AlarmRaised}/{@code AlarmCleared} event with the input values at each change.
 */
final class AlarmState {

    static final int ACTIVE = 0;
    static final int SINCE = 1;

    /** Kept so that an alarm whose operator is removed can still be shown as cleared. */
    static final int OUTPUT = 2;

    private AlarmState() {}

    static boolean isActive(OperatorMemory m) {
        return m != null && m.value(ACTIVE) == 1;
    }

    static void raise(BaseOperator op, String severity, Step step) {
        step.write(op.output(0), 1);
        remember(op, step, OperatorMemory.NO_DEADLINE, true, step.timeMillis());
        step.alarm(
                EventType.ALARM_RAISED,
                new AlarmDetail(op.name(), severity, step.at(), inputs(op, step)));
    }

    static void clear(
            BaseOperator op,
            String severity,
            Step step,
            OperatorMemory active,
            long deadline,
            double since) {
        step.write(op.output(0), 0);
        remember(op, step, deadline, false, since);
        step.alarm(
                EventType.ALARM_CLEARED,
                new AlarmDetail(
                        op.name(),
                        severity,
                        Instant.ofEpochMilli((long) active.value(SINCE)),
                        inputs(op, step)));
    }

    /** Remembers an alarm's state: active or not, since when (or since when pending). */
    static void remember(BaseOperator op, Step step, long deadline, boolean active, double since) {
        step.remember(op, deadline, active ? 1 : 0, since, op.output(0));
    }

    /** Writes 0 to the output unless it holds 0 already, so an inactive alarm shows as 0. */
    static void showInactive(BaseOperator op, Step step) {
        if (step.value(op.output(0)) != 0) {
            step.write(op.output(0), 0);
        }
    }

    static ActiveAlarm activeAlarm(BaseOperator op, String severity, OperatorMemory m) {
        return isActive(m)
                ? new ActiveAlarm(op.name(), severity, Instant.ofEpochMilli((long) m.value(SINCE)))
                : null;
    }

    private static List<Telemetry> inputs(BaseOperator op, Step step) {
        List<Telemetry> values = new ArrayList<>(op.spec().input().size());
        for (int idx : op.spec().input()) {
            double v = step.value(idx);
            if (!Double.isNaN(v)) {
                values.add(new Telemetry(idx, v, step.at()));
            }
        }
        return values;
    }
}
