package org.dtlab.model.telemetry;

import org.dtlab.model.json.DateTimes;

import java.time.Instant;
import java.util.Objects;

/**
 * One property value of a twin at a point in event time, in the indexed form {@code {idx, value,
 * datetime}}. A twin's state is the last telemetry per {@code idx}.
 *
 * <p>The datetime is kept as its two numbers rather than as an {@link Instant}: a twin's properties
 * are read for every record it gets (the lateness check compares all their times), and with many
 * twins every object they point to is a likely cache miss. It is also an object and 24 bytes less
 * per property: about 100 MB of heap for a million twins of four properties (docs/benchmarks.md).
 */
public record Telemetry(int idx, double value, long epochSecond, int nano) {

    private static final long MIN_SECOND = Instant.MIN.getEpochSecond();
    private static final long MAX_SECOND = Instant.MAX.getEpochSecond();

    public Telemetry {
        if (epochSecond < MIN_SECOND
                || epochSecond > MAX_SECOND
                || nano < 0
                || nano > 999_999_999) {
            throw new IllegalArgumentException(
                    "not a datetime: " + epochSecond + " s and " + nano + " ns");
        }
    }

    public Telemetry(int idx, double value, Instant datetime) {
        this(
                idx,
                value,
                Objects.requireNonNull(datetime, "datetime").getEpochSecond(),
                datetime.getNano());
    }

    public Instant datetime() {
        return Instant.ofEpochSecond(epochSecond, nano);
    }

    /** The datetime in epoch milliseconds (rounded down, as {@link Instant#toEpochMilli()}). */
    public long epochMilli() {
        return Math.addExact(Math.multiplyExact(epochSecond, 1000L), nano / 1_000_000);
    }

    /** A telemetry of property {@code idx} at this one's datetime. */
    public Telemetry atSameTime(int idx, double value) {
        return new Telemetry(idx, value, epochSecond, nano);
    }

    /** Whether this telemetry's datetime is after {@code other}'s. */
    public boolean isAfter(Telemetry other) {
        return epochSecond > other.epochSecond
                || (epochSecond == other.epochSecond && nano > other.nano);
    }

    @Override
    public String toString() {
        return "{idx="
                + idx
                + ", value="
                + value
                + ", datetime="
                + DateTimes.format(datetime())
                + "}";
    }
}
