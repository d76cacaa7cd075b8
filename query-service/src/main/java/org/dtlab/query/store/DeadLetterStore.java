package org.dtlab.query.store;

import com.fasterxml.jackson.annotation.JsonRawValue;
import org.dtlab.model.journal.JournalLimits;

import javax.sql.DataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The webhook dead letters the twin job writes ({@code dtlab_dead_letters}): listed per webhook,
 * oldest first, and removed or updated after a re-send.
 */
public final class DeadLetterStore {

    private final DataSource dataSource;
    private final StatementTimeout timeout;

    public DeadLetterStore(DataSource dataSource, int queryTimeoutMs) {
        this.dataSource = dataSource;
        this.timeout = StatementTimeout.ofMillis(queryTimeoutMs);
    }

    /**
     * One dead letter.
     *
     * @param payload the body that was POSTed (the sink's own JSON), shown as JSON and re-sent byte
     *     for byte
     */
    public record DeadLetterRow(
            String eventId,
            String webhook,
            String url,
            Integer status,
            String reason,
            int attempts,
            Instant failedAt,
            @JsonRawValue String payload) {}

    /** The webhook's dead letters, oldest first. */
    public List<DeadLetterRow> list(String webhook, long limit, long offset) throws SQLException {
        List<DeadLetterRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        prepare(
                                c,
                                "SELECT event_id, webhook, url, status, reason, attempts,"
                                    + " failed_at, payload FROM dtlab_dead_letters WHERE webhook ="
                                    + " ? ORDER BY failed_at, event_id LIMIT ? OFFSET ?")) {
            ps.setString(1, webhook);
            ps.setLong(2, limit);
            ps.setLong(3, offset);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(
                            new DeadLetterRow(
                                    rs.getString(1),
                                    rs.getString(2),
                                    rs.getString(3),
                                    (Integer) rs.getObject(4, Integer.class),
                                    rs.getString(5),
                                    rs.getInt(6),
                                    rs.getObject(7, OffsetDateTime.class).toInstant(),
                                    rs.getString(8)));
                }
            }
        }
        return rows;
    }

    public long count(String webhook) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        prepare(c, "SELECT COUNT(*) FROM dtlab_dead_letters WHERE webhook = ?")) {
            ps.setString(1, webhook);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Re-sent: the delivery is done. */
    public void delete(DeadLetterRow row) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        prepare(
                                c,
                                "DELETE FROM dtlab_dead_letters WHERE event_id = ? AND webhook"
                                        + " = ?")) {
            ps.setString(1, row.eventId());
            ps.setString(2, row.webhook());
            ps.executeUpdate();
        }
    }

    /** A re-send failed too: one more attempt, with its outcome. */
    public void resendFailed(DeadLetterRow row, Integer status, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        prepare(
                                c,
                                "UPDATE dtlab_dead_letters SET status = ?, reason = ?, attempts ="
                                    + " attempts + 1, failed_at = ? WHERE event_id = ? AND webhook"
                                    + " = ?")) {
            if (status == null) {
                ps.setNull(1, Types.INTEGER);
            } else {
                ps.setInt(1, status);
            }
            String text = "re-send: " + reason;
            ps.setString(2, JournalLimits.fit(text, JournalLimits.REASON));
            ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
            ps.setString(4, row.eventId());
            ps.setString(5, row.webhook());
            ps.executeUpdate();
        }
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return timeout.prepare(c, sql);
    }
}
