package org.dtlab.job.config;

/**
 * How the live job advances event time, which fires the timers of {@code alarm ... for}, {@code
 * stale} and {@code window} operators (docs/operators.md, "Time").
 *
 * @param outOfOrdernessMs how much older than the newest observation seen an observation may be and
 *     still be in time: event time trails the newest observation by this much
 * @param idleAdvanceMs when no observation has arrived for this long, event time follows the wall
 *     clock (minus {@code outOfOrdernessMs}), so alarms fire even when the whole system is quiet; 0
 *     keeps event time where the observations left it (replays of old data)
 */
public record EventTimeOptions(long outOfOrdernessMs, long idleAdvanceMs) {

    public static final long DEFAULT_OUT_OF_ORDERNESS_MS = 5_000;

    public EventTimeOptions {
        if (outOfOrdernessMs < 0 || idleAdvanceMs < 0) {
            throw new IllegalArgumentException("event-time settings must not be negative");
        }
    }

    /** Event time from the observations only: what a replay of archived data needs. */
    public static EventTimeOptions observationsOnly() {
        return new EventTimeOptions(DEFAULT_OUT_OF_ORDERNESS_MS, 0);
    }
}
