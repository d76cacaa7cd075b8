package org.dtlab.query.history;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The width of a series' time buckets: {@code 30s}, {@code 1m}, {@code 15m}, {@code 1h}, {@code 1d}
 * (what plotting tools write), or an ISO-8601 duration such as {@code PT5M} (what the operators'
 * {@code for} and {@code size} take). From 1 second to 1 day: finer buckets than a second say
 * nothing a raw journal slice would not, and a coarser one than a day is a different question.
 */
public record Step(Duration duration) {

    public static final Duration MIN = Duration.ofSeconds(1);
    public static final Duration MAX = Duration.ofDays(1);

    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    public Step {
        if (duration.compareTo(MIN) < 0 || duration.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(
                    "step must be between 1s and 1d, got " + text(duration));
        }
    }

    public long millis() {
        return duration.toMillis();
    }

    /**
     * @throws IllegalArgumentException if it is not a step, or out of range
     */
    public static Step parse(String text) {
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return new Step(
                    switch (m.group(2)) {
                        case "ms" -> Duration.ofMillis(n);
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    });
        }
        try {
            return new Step(Duration.parse(text.toUpperCase(Locale.ROOT)));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "step must be a duration such as 30s, 1m, 1h, 1d or PT5M, got '" + text + "'");
        }
    }

    private static String text(Duration d) {
        return d.toString();
    }
}
