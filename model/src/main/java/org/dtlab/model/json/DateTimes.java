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
 */
public final class DateTimes {

    private static final DateTimeFormatter WRITE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private DateTimes() {}

    /** Parses an ISO-8601 date-time with a zone offset ({@code Z}, {@code +02:00}). */
    public static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "invalid datetime '" + text + "': expected ISO-8601 with a zone, e.g. 2020-09-13T15:31:21.671Z",
                    e);
        }
    }

    /** Writes an instant in UTC with three fraction digits. */
    public static String format(Instant instant) {
        return WRITE.format(instant);
    }

    /** The instant at millisecond precision, the precision every stored datetime has. */
    public static Instant ofEpochMilli(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
