package org.dtlab.model.logic;

import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Contribution;

import java.util.List;

/**
 * What one input did to a twin ({@link TwinMachine}): its next state and everything to emit.
 *
 * @param state the twin after the input (the same object as before if nothing changed)
 * @param journal the accepted telemetry, for the observation journal
 * @param events creations, state changes and alarm changes, in order
 * @param snapshots state rows: the twin's, and its ancestors' placeholders when it is new
 * @param rejection why the input was not accepted, or {@code null}
 * @param late whether the telemetry is older than one the twin already had (applied all the same)
 * @param unevaluated how often an operator could not compute a value (missing value, division by
 *     zero)
 * @param lateForOperators telemetry too old for a window or change operator (not merged)
 * @param contributions what the twin tells its parent for the parent's roll-ups, one per step that
 *     changed (or re-reported) a value
 * @param refusedChildren children not counted by a roll-up because it has {@link
 *     Rollup#MAX_CHILDREN}
 */
public record Outcome(
        TwinState state,
        List<JournalEntry> journal,
        List<TwinEvent> events,
        List<TwinSnapshot> snapshots,
        String rejection,
        boolean late,
        int unevaluated,
        int lateForOperators,
        List<Contribution> contributions,
        int refusedChildren) {

    static Outcome rejected(TwinState state, String reason) {
        return new Outcome(
                state, List.of(), List.of(), List.of(), reason, false, 0, 0, List.of(), 0);
    }

    /** Nothing happened: the state is the same object. */
    static Outcome unchanged(TwinState state) {
        return new Outcome(state, List.of(), List.of(), List.of(), null, false, 0, 0, List.of(), 0);
    }

    public boolean isRejected() {
        return rejection != null;
    }

    /**
     * The event time at which the twin must be woken even without input, or {@code Long.MAX_VALUE}.
     */
    public long nextDeadline() {
        return state.nextDeadline();
    }
}
