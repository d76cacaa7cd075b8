package org.dtlab.query.stream;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides which newly read events may be streamed, so that events go out in insertion-number order
 * and none is skipped because its transaction had not committed yet.
 *
 * <p>{@code dtlab_events.event_no} is an identity column: numbers are handed out in order when rows
 * are inserted, but several writers (the job's sink subtasks) commit in any order, so number 8 can
 * be visible before 7. A reader that moved past 7 would never see it. So a missing number holds
 * back everything after it — until it has been missing for {@code gapWaitMs} while a higher number
 * was visible: then its transaction has been open that long, which the job's batches never are (a
 * batch is written in milliseconds), and the number is taken as never coming (a rolled-back insert
 * also leaves a hole). One such wait covers every hole below the number seen then, however many.
 *
 * <p>Not thread-safe: the one poller uses it.
 */
final class GapGuard {

    /** The highest number seen at a time. */
    private record Sighting(long nanos, long highest) {}

    private final long gapWaitNanos;
    private final Deque<Sighting> sightings = new ArrayDeque<>();

    /** Every missing number at or below this one has been missing for the wait: never coming. */
    private long settled = Long.MIN_VALUE;

    GapGuard(long gapWaitMs) {
        this.gapWaitNanos = gapWaitMs * 1_000_000L;
    }

    /** Notes the highest number a read returned, at {@code nanos} ({@link System#nanoTime()}). */
    void saw(long highest, long nanos) {
        if (sightings.isEmpty() || sightings.peekLast().highest() < highest) {
            sightings.addLast(new Sighting(nanos, highest));
        }
        while (!sightings.isEmpty() && nanos - sightings.peekFirst().nanos() >= gapWaitNanos) {
            settled = Math.max(settled, sightings.pollFirst().highest());
        }
    }

    /**
     * Whether the event numbered {@code number} may follow the last one streamed, {@code cursor}:
     * it is the next number, or every number between them is settled as never coming.
     */
    boolean mayFollow(long cursor, long number) {
        return number == cursor + 1 || number - 1 <= settled;
    }
}
