package org.dtlab.model.json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
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

    // uuuu (the proleptic year), not yyyy (the year of an era): an instant before year 1 must never
    // be written as a year after it (-2000 as 2001, 0 as 1) should one ever get past the range
    // check.
    private static final DateTimeFormatter WRITE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final long SECONDS_PER_DAY = 86_400;

    private DateTimes() {}

    /**
     * Parses an ISO-8601 date-time with a zone offset ({@code Z}, {@code +02:00}).
     *
     * @throws IllegalArgumentException if it is not one, or outside {@link #MIN}–{@link #MAX}
     */
    public static Instant parse(String text) {
        Instant canonical = parseCanonical(text);
        if (canonical != null) {
            return canonical;
        }
        Instant instant;
        try {
            instant =
                    OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                            .toInstant()
                            .truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "invalid datetime '"
                            + text
                            + "': expected ISO-8601 with a zone, e.g. 2020-09-13T15:31:21.671Z",
                    e);
        }
        return checkSupported(instant, "'" + text + "'");
    }

    /** Writes an instant in UTC with three fraction digits. */
    public static String format(Instant instant) {
        if (!isSupported(instant)) {
            return WRITE.format(instant);
        }
        // By hand: the formatter's field queries cost more than the rest of a journal row
        // (DateTimesTest checks every digit against the formatter).
        long seconds = instant.getEpochSecond();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        byte[] out = new byte[24];
        digits(out, 0, date.getYear(), 4);
        out[4] = '-';
        digits(out, 5, date.getMonthValue(), 2);
        out[7] = '-';
        digits(out, 8, date.getDayOfMonth(), 2);
        out[10] = 'T';
        digits(out, 11, secondOfDay / 3600, 2);
        out[13] = ':';
        digits(out, 14, secondOfDay / 60 % 60, 2);
        out[16] = ':';
        digits(out, 17, secondOfDay % 60, 2);
        out[19] = '.';
        digits(out, 20, instant.getNano() / 1_000_000, 3);
        out[23] = 'Z';
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * The common shape, {@code uuuu-MM-ddTHH:mm:ss[.fraction]Z}, read by hand; {@code null} for
     * anything else (other offsets, invalid fields, other lengths), which the ISO parser then reads
     * or refuses, so both paths accept exactly the same texts.
     */
    private static Instant parseCanonical(String text) {
        int length = text.length();
        if (length < 20
                || length > 30
                || text.charAt(length - 1) != 'Z'
                || text.charAt(4) != '-'
                || text.charAt(7) != '-'
                || text.charAt(10) != 'T'
                || text.charAt(13) != ':'
                || text.charAt(16) != ':') {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 2);
        int day = number(text, 8, 2);
        int hour = number(text, 11, 2);
        int minute = number(text, 14, 2);
        int second = number(text, 17, 2);
        if (year < 1
                || month < 1
                || month > 12
                || day < 1
                || day > YearMonth.of(year, month).lengthOfMonth()
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int millis = 0;
        if (length > 20) {
            int fractionDigits = length - 21;
            if (text.charAt(19) != '.' || fractionDigits < 1) {
                return null;
            }
            int fraction = number(text, 20, fractionDigits);
            if (fraction < 0) {
                return null;
            }
            for (int i = fractionDigits; i < 3; i++) {
                fraction *= 10;
            }
            for (int i = 3; i < fractionDigits; i++) {
                fraction /= 10;
            }
            millis = fraction;
        }
        long epochSecond =
                LocalDate.of(year, month, day).toEpochDay() * SECONDS_PER_DAY
                        + hour * 3600L
                        + minute * 60L
                        + second;
        return Instant.ofEpochSecond(epochSecond, millis * 1_000_000L);
    }

    /**
     * The decimal number of {@code count} ASCII digits from {@code at}, or -1 if one is not a
     * digit.
     */
    private static int number(String text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
            throw new IllegalArgumentException(
                    "datetime "
                            + what
                            + " is out of range: supported are "
                            + format(MIN)
                            + " to "
                            + format(MAX));
        }
        return instant;
    }
}
