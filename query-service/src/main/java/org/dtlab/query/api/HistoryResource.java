package org.dtlab.query.api;

import org.dtlab.model.json.DateTimes;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.telemetry.Telemetry;
import org.dtlab.model.telemetry.TwinPath;
import org.dtlab.query.history.Aggregation;
import org.dtlab.query.history.JournalHistory;
import org.dtlab.query.history.SeriesPoint;
import org.dtlab.query.history.Step;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * A twin's past, for {@link ActorResource}: {@code ?at=} (the state as of an instant, in every
 * state format), {@code ?from=&to=} (the journal between two instants, paged) and {@code /series}
 * (one property in time buckets). It checks the parameters — every bad one is a 400 that names it —
 * and leaves the work to the database ({@link JournalHistory}).
 */
final class HistoryResource {

    /**
     * A page of a journal range, unless {@code limit} says otherwise; and the most one may ask for.
     */
    static final int DEFAULT_LIMIT = 1000;

    static final int MAX_LIMIT = 10_000;

    /**
     * The most buckets a series may have: enough for any chart, and a bound on the answer's size.
     */
    static final long MAX_BUCKETS = 10_000;

    private final JournalHistory history;

    HistoryResource(JournalHistory history) {
        this.history = history;
    }

    /** Whether a GET of a twin asks for its past rather than its state or its newest entries. */
    static boolean asksForHistory(Request request) {
        return request.query("at") != null
                || request.query("from") != null
                || request.query("to") != null;
    }

    Reply past(Request request, TwinPath path, TwinType type) throws SQLException {
        if (request.query("at") != null) {
            for (String other : List.of("from", "to", "limit", "offset")) {
                if (request.query(other) != null) {
                    throw new ApiException(
                            400,
                            "at cannot be combined with "
                                    + other
                                    + ": at asks for the state as of an instant, from/to for the"
                                    + " journal between two");
                }
            }
            Instant at = instant(request, "at");
            List<Telemetry> state = history.stateAt(path.toString(), at);
            return Reply.json(
                    200, StateFormats.format(request.query("format"), state, type, path, true));
        }
        Range range = range(request, DateTimes.MIN, DateTimes.MAX);
        long limit =
                request.query("limit") == null
                        ? DEFAULT_LIMIT
                        : ActorResource.nonNegative(request, "limit");
        long offset =
                request.query("offset") == null ? 0 : ActorResource.nonNegative(request, "offset");
        if (limit > MAX_LIMIT) {
            throw new ApiException(
                    400,
                    "limit must be at most "
                            + MAX_LIMIT
                            + " with from/to, got "
                            + limit
                            + ": page with offset");
        }
        List<Telemetry> entries =
                limit == 0
                        ? List.of()
                        : history.between(path.toString(), range.from(), range.to(), limit, offset);
        return Reply.json(
                200, StateFormats.format(request.query("format"), entries, type, path, false));
    }

    /** The answer of {@code /series}: what was asked, and a point per bucket that has values. */
    record Series(
            String path,
            int idx,
            String name,
            Instant from,
            Instant to,
            String step,
            String agg,
            List<SeriesPoint> points) {}

    Reply series(Request request, TwinPath path, TwinType type) throws SQLException {
        int idx = idx(request, type);
        if (request.query("from") == null || request.query("to") == null) {
            throw new ApiException(400, "a series needs from and to (ISO-8601 instants)");
        }
        Range range = range(request, null, null);
        String stepText = request.query("step") == null ? "1m" : request.query("step");
        Step step = parse(stepText, Step::parse);
        Aggregation agg =
                parse(
                        request.query("agg") == null ? "avg" : request.query("agg"),
                        Aggregation::parse);
        long buckets =
                Math.floorDiv(range.to().toEpochMilli() - 1, step.millis())
                        - Math.floorDiv(range.from().toEpochMilli(), step.millis())
                        + 1;
        if (buckets > MAX_BUCKETS) {
            throw new ApiException(
                    400,
                    "from/to and step "
                            + stepText
                            + " make "
                            + buckets
                            + " buckets, at most "
                            + MAX_BUCKETS
                            + " are allowed: choose a larger step or a shorter range");
        }
        List<SeriesPoint> points =
                history.series(path.toString(), idx, range.from(), range.to(), step, agg);
        return Reply.json(
                200,
                new Series(
                        path.toString(),
                        idx,
                        type.propName(idx),
                        range.from(),
                        range.to(),
                        step.duration().toString(),
                        agg.jsonName(),
                        points));
    }

    /** A half-open range, {@code from < to}; a missing end is the default given. */
    private record Range(Instant from, Instant to) {}

    private static Range range(Request request, Instant defaultFrom, Instant defaultTo) {
        Instant from = request.query("from") == null ? defaultFrom : instant(request, "from");
        Instant to = request.query("to") == null ? defaultTo : instant(request, "to");
        if (!from.isBefore(to)) {
            throw new ApiException(
                    400,
                    "from must be before to, got from="
                            + DateTimes.format(from)
                            + " to="
                            + DateTimes.format(to));
        }
        return new Range(from, to);
    }

    private static int idx(Request request, TwinType type) {
        String text = request.query("idx");
        if (text == null) {
            throw new ApiException(
                    400,
                    "a series needs idx, the property's index (0 to "
                            + (type.props().size() - 1)
                            + ")");
        }
        int idx;
        try {
            idx = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ApiException(400, "idx must be a whole number, got '" + text + "'");
        }
        if (idx < 0 || idx >= type.props().size()) {
            throw new ApiException(
                    400,
                    "idx out of bounds: type "
                            + type.name()
                            + " has "
                            + type.props().size()
                            + " props, got "
                            + idx);
        }
        return idx;
    }

    private static Instant instant(Request request, String name) {
        try {
            return DateTimes.parse(request.query(name));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, name + ": " + e.getMessage());
        }
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(String text, Parser<T> parser) {
        try {
            return parser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
    }
}
