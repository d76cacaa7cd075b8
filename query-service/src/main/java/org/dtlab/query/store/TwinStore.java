package org.dtlab.query.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import org.dtlab.model.event.ActiveAlarm;
import org.dtlab.model.json.Json;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.telemetry.Telemetry;

import javax.sql.DataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads twins from the journal database the twin job writes. Never touches Flink: reads stay fast
 * whatever the ingest load, and are eventually consistent (see {@code docs/journal-schema.md}).
 */
public final class TwinStore {

    private static final ObjectReader STATE =
            Json.mapper().readerFor(new TypeReference<List<Telemetry>>() {});
    private static final ObjectReader ALARMS =
            Json.mapper().readerFor(new TypeReference<List<ActiveAlarm>>() {});
    private static final ObjectReader OPERATORS =
            Json.mapper().readerFor(new TypeReference<List<OperatorSpec>>() {});

    private final DataSource dataSource;
    private final StatementTimeout timeout;

    /**
     * @param queryTimeoutMs how long one query may run (JDBC counts whole seconds: rounded up), so
     *     that a slow or stuck database never holds a request, and its worker, for long
     */
    public TwinStore(DataSource dataSource, int queryTimeoutMs) {
        this.dataSource = dataSource;
        this.timeout = StatementTimeout.ofMillis(queryTimeoutMs);
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return timeout.prepare(c, sql);
    }

    /** A twin's latest state row. */
    public record TwinRow(
            long version, long sequence, List<Telemetry> state, List<OperatorSpec> operators) {}

    public Optional<TwinRow> twin(String path) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        prepare(
                                c,
                                "SELECT version, seq, state, operators FROM dtlab_twin_state WHERE"
                                        + " path = ?")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new TwinRow(
                                rs.getLong(1),
                                rs.getLong(2),
                                read(STATE, rs.getString(3)),
                                read(OPERATORS, rs.getString(4))));
            }
        }
    }

    /** The number of journaled telemetry of a twin: its last sequence number, 0 if none. */
    public long journalLength(String path) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        prepare(c, "SELECT MAX(seq) FROM dtlab_journal WHERE path = ?")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Journaled telemetry with {@code from <= seq <= to}, newest first. */
    public List<Telemetry> journal(String path, long from, long to) throws SQLException {
        List<Telemetry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        prepare(
                                c,
                                "SELECT idx, val, datetime FROM dtlab_journal WHERE path = ? AND"
                                        + " seq BETWEEN ? AND ? ORDER BY seq DESC")) {
            ps.setString(1, path);
            ps.setLong(2, from);
            ps.setLong(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(
                            new Telemetry(
                                    rs.getInt(1),
                                    rs.getDouble(2),
                                    rs.getObject(3, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return entries;
    }

    /**
     * The instance ids of type {@code type} under {@code parentPath} ({@code null} = root twins),
     * newest first, as the original listed them.
     */
    public List<String> children(String parentPath, String type) throws SQLException {
        String sql =
                "SELECT instance_id FROM dtlab_twin_state WHERE dt_type = ? AND "
                        + (parentPath == null ? "parent_path IS NULL" : "parent_path = ?")
                        + " ORDER BY created_at DESC, instance_id";
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = prepare(c, sql)) {
            ps.setString(1, type);
            if (parentPath != null) {
                ps.setString(2, parentPath);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** The active alarms of one twin. */
    public List<ActiveAlarm> alarms(String path) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        prepare(c, "SELECT alarms FROM dtlab_twin_state WHERE path = ?")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null
                        ? read(ALARMS, rs.getString(1))
                        : List.of();
            }
        }
    }

    /** A twin with active alarms. */
    public record TwinAlarms(String path, List<ActiveAlarm> alarms) {}

    /** The twins of a type that have active alarms, by path. */
    public List<TwinAlarms> alarmsOfType(String type) throws SQLException {
        List<TwinAlarms> twins = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        prepare(
                                c,
                                "SELECT path, alarms FROM dtlab_twin_state WHERE dt_type = ? AND"
                                        + " alarms IS NOT NULL ORDER BY path")) {
            ps.setString(1, type);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    twins.add(new TwinAlarms(rs.getString(1), read(ALARMS, rs.getString(2))));
                }
            }
        }
        return twins;
    }

    /** {@code null} when the database answers, else why not (for {@code /fitness}). */
    public String problem() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(timeout.seconds()) ? null : "does not answer";
        } catch (SQLException e) {
            return "does not answer (" + e.getMessage() + ")";
        }
    }

    private static <T> T read(ObjectReader reader, String json) {
        try {
            return reader.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable JSON column", e);
        }
    }
}
