package org.dtlab.query.history;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the values of one time bucket become one point of a series. {@code last} is the value with
 * the newest datetime in the bucket (ties: the one the twin applied last), the others are SQL's own
 * aggregates, so the database does all the work whatever the number of values.
 */
public enum Aggregation {
    AVG("AVG(val)"),
    MIN("MIN(val)"),
    MAX("MAX(val)"),
    COUNT("COUNT(*)"),
    LAST(null);

    private final String sqlAggregate;

    Aggregation(String sqlAggregate) {
        this.sqlAggregate = sqlAggregate;
    }

    /**
     * The aggregate over a bucket's {@code val}; {@code null} for {@link #LAST}, which ranks rows
     * instead.
     */
    String sqlAggregate() {
        return sqlAggregate;
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the supported ones
     */
    public static Aggregation parse(String text) {
        for (Aggregation a : values()) {
            if (a.jsonName().equals(text)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "agg must be one of " + names() + ", got '" + text + "'");
    }

    private static String names() {
        return Arrays.stream(values()).map(Aggregation::jsonName).collect(Collectors.joining(", "));
    }
}
