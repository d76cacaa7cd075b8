package org.dtlab.model.telemetry;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * What a child twin tells its parent after a step: its current value for each of the parent's
 * roll-ups over its type, stamped with the event time of the step. Sent by the twin job from a
 * child's twin operator to its parent's, never read from outside.
 *
 * @param parent the parent's path (the key it travels under)
 * @param child the child's path
 * @param childVersion the child's state version after the step: orders two steps of one child at
 *     the same instant
 * @param values one per roll-up of the parent's type that names the child's type
 */
public record Contribution(
        String parent, String child, long childVersion, Instant datetime, List<Value> values) {

    /**
     * The order in which a parent applies contributions of the same instant, whatever order they
     * arrived in: by child, then by the child's steps. Live and back-test runs agree on it.
     */
    public static final Comparator<Contribution> SAME_INSTANT_ORDER =
            Comparator.comparing(Contribution::child).thenComparingLong(Contribution::childVersion);

    public Contribution {
        values = List.copyOf(values);
    }

    /**
     * One child's value for one roll-up.
     *
     * @param definition the hash of the roll-up definition it was computed under: a value computed
     *     under another definition of the roll-up is ignored
     */
    public record Value(String rollup, int definition, double value) {}
}
