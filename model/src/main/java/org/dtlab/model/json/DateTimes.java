package org.dtlab.model.json;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The one datetime format of the API: ISO-8601 in, UTC with exactly three fraction digits out.
 *
 * <p>The original DT Lab wrote {@code yyyy-MM-dd'T'HH:mm:ss.SSSX} and parsed the same pattern
 * leniently (so {@code .5} became 5 ms). We accept any ISO-8601 instant with an offset, keep
 * millisecond precision (sub-millisecond digits are truncated so that a value survives a JSON round
 * trip unchanged) and always write the original's shape, e.g. {@code 2020-09-13T15:31:21.671Z}.
 *
 * <p>Only instants from {@link #MIN} to {@link #MAX} (years 1 to 9999, UTC) are accepted: the
 * four-digit years that this shape can write, and that every journal database stores as they are
 * (PostgreSQL and H2 {@code timestamp with time zone}). Years 0 and before would otherwise need an
 * era or a sign that clients of the original do not expect; nobody's telemetry is that old.
 */
public final class DateTimes {

    /** The earliest supported instant, {@code 0001-01-01T00:00:00.000Z}. */
    public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    /** The latest supported instant, {@code 9999-12-31T23:59:59.999Z}. */
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999Z");

    // uuuu (the proleptic year), not yyyy (the year of an era): an instant before year 1 must never be
    // written as a year after it (-2000 as 2001, 0 as 1) should one ever get past the range check.
    private static final DateTimeFormatter WRITE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private DateTimes() {}

    /**
     * Parses an ISO-8601 date-time with a zone offset ({@code Z}, {@code +02:00}).
     *
     * @throws IllegalArgumentException if it is not one, or outside {@link #MIN}–{@link #MAX}
     */
    public static Instant parse(String text) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "invalid datetime '" + text + "': expected ISO-8601 with a zone, e.g. 2020-09-13T15:31:21.671Z",
                    e);
        }
        return checkSupported(instant, "'" + text + "'");
    }

    /** Writes an instant in UTC with three fraction digits. */
    public static String format(Instant instant) {
        return WRITE.format(instant);
    }

    /**
     * The instant at millisecond precision, the precision every stored datetime has.
     *
     * @throws IllegalArgumentException outside {@link #MIN}–{@link #MAX}
     */
    public static Instant ofEpochMilli(long millis) {
        return checkSupported(Instant.ofEpochMilli(millis), millis + " ms since 1970");
    }

    /** Whether an instant is within {@link #MIN}–{@link #MAX}. */
    public static boolean isSupported(Instant instant) {
        return !instant.isBefore(MIN) && !instant.isAfter(MAX);
    }

    /**
     * The instant, if supported.
     *
     * @param what how to name it in the message (the text the client sent)
     * @throws IllegalArgumentException outside {@link #MIN}–{@link #MAX}
     */
    public static Instant checkSupported(Instant instant, String what) {
        if (!isSupported(instant)) {
            throw new IllegalArgumentException("datetime " + what + " is out of range: supported are "
                    + format(MIN) + " to " + format(MAX));
        }
        return instant;
    }
}
