package org.dtlab.query.history;

import org.dtlab.model.telemetry.Telemetry;
import org.dtlab.query.store.StatementTimeout;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A twin's past, read from {@code dtlab_journal}: its state as of an instant, its telemetry between
 * two instants, and a property's series in time buckets. Each is one query that the database
 * answers whole (grouping, ranking, bucketing), so a year of telemetry costs the service one result
 * set, not a loop over the rows. The SQL is the subset PostgreSQL 15+ and H2 2.x both run (window
 * functions, {@code EXTRACT(EPOCH FROM …)}, {@code LIMIT … OFFSET}); the index {@code
 * dtlab_journal_by_time} ({@code path, datetime}) serves the time ranges.
 *
 * <p>Instants are event time (the telemetry's {@code datetime}); ranges are half-open, {@code from
 * <= datetime < to}.
 */
public final class JournalHistory {

    private static final String STATE_AT =
            "SELECT j.idx, j.val, j.datetime FROM dtlab_journal j JOIN (SELECT idx, MAX(seq) AS seq"
                + " FROM dtlab_journal WHERE path = ? AND datetime <= ? GROUP BY idx) l ON j.path ="
                + " ? AND j.seq = l.seq ORDER BY j.idx";

    private static final String BETWEEN =
            "SELECT idx, val, datetime FROM dtlab_journal WHERE path = ? AND datetime >= ? AND"
                    + " datetime < ? ORDER BY datetime DESC, seq DESC LIMIT ? OFFSET ?";

    /**
     * The rows of one property in range, each with its bucket number: floor(epoch ms / step ms).
     */
    private static final String BUCKETED =
            "SELECT FLOOR(EXTRACT(EPOCH FROM datetime) * 1000 / ?) AS bucket, val, datetime, seq"
                + " FROM dtlab_journal WHERE path = ? AND idx = ? AND datetime >= ? AND datetime <"
                + " ?";

    private final DataSource dataSource;
    private final StatementTimeout timeout;

    /**
     * @param queryTimeoutMs how long one query may run (rounded up to whole seconds, as JDBC
     *     counts)
     */
    public JournalHistory(DataSource dataSource, int queryTimeoutMs) {
        this.dataSource = dataSource;
        this.timeout = StatementTimeout.ofMillis(queryTimeoutMs);
    }

    /**
     * The twin's state as of {@code at}: for each property, of the telemetry with a datetime at or
     * before {@code at}, the one the twin applied last (highest sequence) — so for an {@code at}
     * after everything it is the state's received values. By idx.
     */
    public List<Telemetry> stateAt(String path, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, STATE_AT)) {
            ps.setString(1, path);
            ps.setObject(2, timestamp(at));
            ps.setString(3, path);
            return telemetry(ps);
        }
    }

    /**
     * The twin's telemetry with {@code from <= datetime < to}, newest first (datetime, then
     * sequence).
     */
    public List<Telemetry> between(String path, Instant from, Instant to, long limit, long offset)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, BETWEEN)) {
            ps.setString(1, path);
            ps.setObject(2, timestamp(from));
            ps.setObject(3, timestamp(to));
            ps.setLong(4, limit);
            ps.setLong(5, offset);
            return telemetry(ps);
        }
    }

    /**
     * One property's values with {@code from <= datetime < to}, aggregated per bucket of {@code
     * step}; empty buckets are left out.
     */
    public List<SeriesPoint> series(
            String path, int idx, Instant from, Instant to, Step step, Aggregation agg)
            throws SQLException {
        String sql =
                agg == Aggregation.LAST
                        ? "SELECT bucket, val, n FROM (SELECT bucket, val, ROW_NUMBER() OVER"
                                + " (PARTITION BY bucket ORDER BY datetime DESC, seq DESC) AS rn,"
                                + " COUNT(*) OVER (PARTITION BY bucket) AS n FROM ("
                                + BUCKETED
                                + ") b) r"
                                + " WHERE rn = 1 ORDER BY bucket"
                        : "SELECT bucket, "
                                + agg.sqlAggregate()
                                + ", COUNT(*) FROM ("
                                + BUCKETED
                                + ") b"
                                + " GROUP BY bucket ORDER BY bucket";
        List<SeriesPoint> points = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, sql)) {
            ps.setLong(1, step.millis());
            ps.setString(2, path);
            ps.setInt(3, idx);
            ps.setObject(4, timestamp(from));
            ps.setObject(5, timestamp(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    points.add(
                            new SeriesPoint(
                                    Instant.ofEpochMilli(rs.getLong(1) * step.millis()),
                                    rs.getDouble(2),
                                    rs.getLong(3)));
                }
            }
        }
        return points;
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return timeout.prepare(c, sql);
    }

    private static List<Telemetry> telemetry(PreparedStatement ps) throws SQLException {
        List<Telemetry> entries = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                entries.add(
                        new Telemetry(
                                rs.getInt(1),
                                rs.getDouble(2),
                                rs.getObject(3, OffsetDateTime.class).toInstant()));
            }
        }
        return entries;
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
