package org.dtlab.model.event;

import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.telemetry.Telemetry;

import java.time.Instant;
import java.util.List;

/**
 * The latest state of one twin, as the query service reads it: upserted into {@code twin_state}
 * only when {@code version} is newer than the stored row.
 *
 * @param parentPath the parent twin's path, or {@code null} for a root twin (for child listings)
 * @param updated the event time of the change
 * @param alarms the twin's active alarms
 */
public record TwinSnapshot(
        String path,
        String parentPath,
        String dtType,
        String instanceId,
        long version,
        long sequence,
        List<Telemetry> state,
        List<OperatorSpec> operators,
        Instant updated,
        List<ActiveAlarm> alarms) {

    public TwinSnapshot {
        state = List.copyOf(state);
        operators = List.copyOf(operators);
        alarms = alarms == null ? List.of() : List.copyOf(alarms);
    }

    /** A snapshot without active alarms. */
    public TwinSnapshot(
            String path,
            String parentPath,
            String dtType,
            String instanceId,
            long version,
            long sequence,
            List<Telemetry> state,
            List<OperatorSpec> operators,
            Instant updated) {
        this(
                path,
                parentPath,
                dtType,
                instanceId,
                version,
                sequence,
                state,
                operators,
                updated,
                List.of());
    }
}
