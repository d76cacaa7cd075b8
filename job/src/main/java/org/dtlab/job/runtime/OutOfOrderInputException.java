package org.dtlab.job.runtime;

import org.dtlab.model.json.DateTimes;

import java.time.Instant;

/**
 * A twin's message arrived at a {@link BacktestTwinFunction} no later in event time than the twin's
 * previous one: the input is not in time order per twin, so only a back-test with Flink's sort
 * gives the right result.
 */
public final class OutOfOrderInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Starts the message, so that it is found in a failed job's cause chain by text too. */
    public static final String PREFIX = "not in time order per twin: ";

    private final String path;

    public OutOfOrderInputException(String path, long time, long previous) {
        super(
                PREFIX
                        + path
                        + " has an observation at "
                        + DateTimes.format(Instant.ofEpochMilli(time))
                        + " after one at "
                        + DateTimes.format(Instant.ofEpochMilli(previous)));
        this.path = path;
    }

    /** The twin whose message was out of order. */
    public String path() {
        return path;
    }
}
