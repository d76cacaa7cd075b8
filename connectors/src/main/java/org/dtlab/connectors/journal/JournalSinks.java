package org.dtlab.connectors.journal;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.Reject;
import org.dtlab.model.event.SpecChange;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.json.Json;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.dtlab.model.journal.JournalLimits.EVENT_ID;
import static org.dtlab.model.journal.JournalLimits.EVENT_TYPE;
import static org.dtlab.model.journal.JournalLimits.NAME;
import static org.dtlab.model.journal.JournalLimits.ORIGIN;
import static org.dtlab.model.journal.JournalLimits.PATH;
import static org.dtlab.model.journal.JournalLimits.REASON;
import static org.dtlab.model.journal.JournalLimits.RUN_ID;
import static org.dtlab.model.journal.JournalLimits.SPEC_KEY;
import static org.dtlab.model.journal.JournalLimits.SPEC_KIND;
import static org.dtlab.model.journal.JournalLimits.fit;
import static org.dtlab.model.journal.JournalLimits.varchar;

/**
 * The JDBC sinks of the journal tables (Flink JDBC connector, at-least-once, batched), each closing
 * without throwing when the database is gone ({@link JournalSink}), so that a database outage ends
 * in a job restart from the last checkpoint.
 *
 * <p>A reject row holds whatever a client sent: its key is cut to the column's width and the
 * characters PostgreSQL cannot store are replaced ({@link #storable}), so that no record can make
 * its batch fail.
 *
 * <p>Every statement is idempotent, so a replay after a recovery neither duplicates nor regresses a
 * row: the journal, events and rejects are inserted if absent (natural primary keys), twin states
 * and specs are upserted only by a newer version. Together with at-least-once delivery this gives
 * exactly-once effect in the database. The SQL is standard {@code MERGE}, which PostgreSQL 15+ and
 * H2 both run. On PostgreSQL the high-volume tables — journal, events, twin states — are written
 * with binary {@code COPY} instead ({@link PgCopySink}), with the same effect and a fraction of the
 * database's work per row; specs and rejects are rare and keep {@code MERGE}.
 */
public final class JournalSinks {

    static final String JOURNAL_SQL =
            "MERGE INTO dtlab_journal t USING (VALUES (CAST(? AS "
                    + varchar(PATH)
                    + "), CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS DOUBLE PRECISION),"
                    + " CAST(? AS TIMESTAMP WITH TIME ZONE))) AS s (path, seq, idx, val, datetime)"
                    + " ON t.path = s.path AND t.seq = s.seq"
                    + " WHEN NOT MATCHED THEN INSERT (path, seq, idx, val, datetime)"
                    + " VALUES (s.path, s.seq, s.idx, s.val, s.datetime)";

    static final String EVENTS_SQL =
            "MERGE INTO dtlab_events t USING (VALUES (CAST(? AS "
                    + varchar(EVENT_ID)
                    + "), CAST(? AS "
                    + varchar(PATH)
                    + "), CAST(? AS BIGINT), CAST(? AS "
                    + varchar(EVENT_TYPE)
                    + "), CAST(? AS "
                    + varchar(NAME)
                    + "), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR), CAST(? AS"
                    + " VARCHAR))) AS s (event_id, path, seq, event_type, dt_type, created, state,"
                    + " alarm) ON t.event_id = s.event_id WHEN NOT MATCHED THEN INSERT (event_id,"
                    + " path, seq, event_type, dt_type, created, state, alarm) VALUES (s.event_id,"
                    + " s.path, s.seq, s.event_type, s.dt_type, s.created, s.state, s.alarm)";

    static final String TWIN_STATE_SQL =
            "MERGE INTO dtlab_twin_state t USING (VALUES (CAST(? AS "
                    + varchar(PATH)
                    + "), CAST(? AS "
                    + varchar(PATH)
                    + "), CAST(? AS "
                    + varchar(NAME)
                    + "), CAST(? AS "
                    + varchar(NAME)
                    + "), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR), CAST(? AS"
                    + " VARCHAR), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR))) AS s"
                    + " (path, parent_path, dt_type, instance_id, version, seq, state, operators,"
                    + " updated, alarms) ON t.path = s.path WHEN MATCHED AND s.version > t.version"
                    + " THEN UPDATE SET version = s.version, seq = s.seq, state = s.state,"
                    + " operators = s.operators, updated = s.updated, alarms = s.alarms, written_at"
                    + " = CURRENT_TIMESTAMP WHEN NOT MATCHED THEN INSERT (path, parent_path,"
                    + " dt_type, instance_id, version, seq, state, operators, updated, alarms)"
                    + " VALUES (s.path, s.parent_path, s.dt_type, s.instance_id, s.version, s.seq,"
                    + " s.state, s.operators, s.updated, s.alarms)";

    static final String SPECS_SQL =
            "MERGE INTO dtlab_specs t USING (VALUES (CAST(? AS "
                    + varchar(SPEC_KEY)
                    + "), CAST(? AS "
                    + varchar(SPEC_KIND)
                    + "), CAST(? AS "
                    + varchar(NAME)
                    + "), CAST(? AS VARCHAR), CAST(? AS BIGINT), CAST(? AS TIMESTAMP WITH TIME"
                    + " ZONE))) AS s (spec_key, kind, name, spec, version, updated) ON t.spec_key ="
                    + " s.spec_key WHEN MATCHED AND s.version > t.version THEN UPDATE SET spec ="
                    + " s.spec, version = s.version, updated = s.updated WHEN NOT MATCHED THEN"
                    + " INSERT (spec_key, kind, name, spec, version, updated) VALUES (s.spec_key,"
                    + " s.kind, s.name, s.spec, s.version, s.updated)";

    static final String REJECTS_SQL =
            "MERGE INTO dtlab_rejects t USING (VALUES (CAST(? AS "
                    + varchar(ORIGIN)
                    + "), CAST(? AS "
                    + varchar(PATH)
                    + "), CAST(? AS "
                    + varchar(REASON)
                    + "), CAST(? AS VARCHAR), CAST(? AS"
                    + " TIMESTAMP WITH TIME ZONE))) AS s (origin, record_key, reason, payload,"
                    + " rejected_at) ON t.origin = s.origin WHEN NOT MATCHED THEN INSERT (origin,"
                    + " record_key, reason, payload, rejected_at) VALUES (s.origin, s.record_key,"
                    + " s.reason, s.payload, s.rejected_at)";

    static final String BACKTEST_EVENTS_SQL =
            "MERGE INTO dtlab_backtest_events t USING (VALUES (CAST(? AS "
                    + varchar(RUN_ID)
                    + "), CAST(? AS "
                    + varchar(EVENT_ID)
                    + "), CAST(? AS "
                    + varchar(PATH)
                    + "), CAST(? AS BIGINT), CAST(? AS "
                    + varchar(EVENT_TYPE)
                    + "), CAST(? AS "
                    + varchar(NAME)
                    + "), CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR), CAST(? AS"
                    + " VARCHAR))) AS s (run_id, event_id, path, seq, event_type, dt_type, created,"
                    + " state, alarm) ON t.run_id = s.run_id AND t.event_id = s.event_id WHEN NOT"
                    + " MATCHED THEN INSERT (run_id, event_id, path, seq, event_type, dt_type,"
                    + " created, state, alarm) VALUES (s.run_id, s.event_id, s.path, s.seq,"
                    + " s.event_type, s.dt_type, s.created, s.state, s.alarm)";

    private JournalSinks() {}

    public static Sink<JournalEntry> journal(JournalOptions options) {
        if (options.postgres()) {
            return new PgCopySink<>(
                    CopyTable.insertOnce(
                            "dtlab_journal",
                            List.of("path", "seq", "idx", "val", "datetime"),
                            List.of("path", "seq"),
                            (e, row) -> {
                                row.text(e.path());
                                row.int8(e.sequence());
                                row.int4(e.idx());
                                row.float8(e.value());
                                row.timestamptz(e.datetime());
                            }),
                    options);
        }
        return sink(
                options,
                "dtlab_journal",
                JOURNAL_SQL,
                (ps, e) -> {
                    ps.setString(1, e.path());
                    ps.setLong(2, e.sequence());
                    ps.setInt(3, e.idx());
                    ps.setDouble(4, e.value());
                    ps.setObject(5, timestamp(e.datetime()));
                });
    }

    public static Sink<TwinEvent> events(JournalOptions options) {
        if (options.postgres()) {
            return new PgCopySink<>(
                    CopyTable.insertOnce(
                            "dtlab_events",
                            EVENT_COLUMNS,
                            List.of("event_id"),
                            (e, row) -> copyEvent(row, e)),
                    options);
        }
        return sink(options, "dtlab_events", EVENTS_SQL, (ps, e) -> setEvent(ps, 1, e));
    }

    /**
     * A back-test's events, tagged with its run id: {@code dtlab_backtest_events}, never the live
     * table.
     */
    public static Sink<TwinEvent> backtestEvents(JournalOptions options, String runId) {
        if (options.postgres()) {
            List<String> columns = new ArrayList<>(List.of("run_id"));
            columns.addAll(EVENT_COLUMNS);
            return new PgCopySink<>(
                    CopyTable.insertOnce(
                            "dtlab_backtest_events",
                            columns,
                            List.of("run_id", "event_id"),
                            (e, row) -> {
                                row.text(runId);
                                copyEvent(row, e);
                            }),
                    options);
        }
        return sink(
                options,
                "dtlab_backtest_events",
                BACKTEST_EVENTS_SQL,
                (ps, e) -> {
                    ps.setString(1, runId);
                    setEvent(ps, 2, e);
                });
    }

    private static final List<String> EVENT_COLUMNS =
            List.of(
                    "event_id",
                    "path",
                    "seq",
                    "event_type",
                    "dt_type",
                    "created",
                    "state",
                    "alarm");

    private static void copyEvent(PgBinaryRows row, TwinEvent e) throws IOException {
        row.text(e.id());
        row.text(e.path());
        row.int8(e.sequence());
        row.text(e.type().jsonName());
        row.text(e.dtType());
        row.timestamptz(e.created());
        row.text(Json.telemetryArray(e.state()));
        row.text(e.alarm() == null ? null : jsonText(e.alarm()));
    }

    /**
     * An event's columns, from parameter {@code first} on: id, path, seq, type, dt_type, created,
     * state, alarm.
     */
    private static void setEvent(PreparedStatement ps, int first, TwinEvent e) throws SQLException {
        ps.setString(first, e.id());
        ps.setString(first + 1, e.path());
        ps.setLong(first + 2, e.sequence());
        ps.setString(first + 3, e.type().jsonName());
        ps.setString(first + 4, e.dtType());
        ps.setObject(first + 5, timestamp(e.created()));
        ps.setString(first + 6, Json.telemetryArray(e.state()));
        ps.setString(first + 7, e.alarm() == null ? null : json(e.alarm()));
    }

    public static Sink<TwinSnapshot> twinStates(JournalOptions options) {
        if (options.postgres()) {
            return new PgCopySink<>(
                    CopyTable.newestVersion(
                            "dtlab_twin_state",
                            List.of(
                                    "path",
                                    "parent_path",
                                    "dt_type",
                                    "instance_id",
                                    "version",
                                    "seq",
                                    "state",
                                    "operators",
                                    "updated",
                                    "alarms"),
                            "path",
                            TwinSnapshot::path,
                            "version",
                            TwinSnapshot::version,
                            List.of("written_at"),
                            (s, row) -> {
                                row.text(s.path());
                                row.text(s.parentPath());
                                row.text(s.dtType());
                                row.text(s.instanceId());
                                row.int8(s.version());
                                row.int8(s.sequence());
                                row.text(Json.telemetryArray(s.state()));
                                row.text(s.operators().isEmpty() ? "[]" : jsonText(s.operators()));
                                row.timestamptz(s.updated());
                                row.text(s.alarms().isEmpty() ? null : jsonText(s.alarms()));
                            }),
                    options);
        }
        return sink(
                options,
                "dtlab_twin_state",
                TWIN_STATE_SQL,
                (ps, s) -> {
                    ps.setString(1, s.path());
                    ps.setString(2, s.parentPath());
                    ps.setString(3, s.dtType());
                    ps.setString(4, s.instanceId());
                    ps.setLong(5, s.version());
                    ps.setLong(6, s.sequence());
                    ps.setString(7, Json.telemetryArray(s.state()));
                    ps.setString(8, s.operators().isEmpty() ? "[]" : json(s.operators()));
                    setTimestamp(ps, 9, s.updated());
                    ps.setString(10, s.alarms().isEmpty() ? null : json(s.alarms()));
                });
    }

    public static Sink<SpecChange> specs(JournalOptions options) {
        return sink(
                options,
                "dtlab_specs",
                SPECS_SQL,
                (ps, c) -> {
                    ps.setString(1, c.key());
                    ps.setString(2, c.kind());
                    ps.setString(3, c.name());
                    ps.setString(4, c.spec());
                    ps.setLong(5, c.version());
                    ps.setObject(6, timestamp(c.updated()));
                });
    }

    public static Sink<Reject> rejects(JournalOptions options) {
        return sink(
                options,
                "dtlab_rejects",
                REJECTS_SQL,
                (ps, r) -> {
                    ps.setString(1, r.origin());
                    ps.setString(2, r.key() == null ? null : storable(fit(r.key(), PATH)));
                    ps.setString(3, storable(fit(r.reason(), REASON)));
                    ps.setString(4, storable(r.payload()));
                    ps.setObject(5, timestamp(r.at()));
                });
    }

    /**
     * A rejected record's text as the database can store it: PostgreSQL's text types refuse the
     * character U+0000 ({@code invalid byte sequence for encoding "UTF8": 0x00}), which any Kafka
     * record may hold, so it becomes U+FFFD. Unchanged, one such record failed every attempt to
     * write its batch, and the job restarted for ever (issue 18, {@code MalformedFloodITCase}).
     */
    static String storable(String text) {
        return text == null || text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }

    private static <T> Sink<T> sink(
            JournalOptions options, String table, String sql, JdbcStatementBuilder<T> statement) {
        return new JournalSink<>(
                JdbcSink.<T>builder()
                        .withQueryStatement(sql, statement)
                        .withExecutionOptions(
                                JdbcExecutionOptions.builder()
                                        .withBatchSize(options.batchSize())
                                        .withBatchIntervalMs(options.batchIntervalMs())
                                        .withMaxRetries(options.maxRetries())
                                        .build())
                        .buildAtLeastOnce(connectionOptions(options)),
                table);
    }

    /**
     * The JDBC sink's connection, with the options' timeouts ({@link
     * JournalOptions#timeoutProperties}); its check whether a connection is still valid, after a
     * failed batch, waits at most the connect timeout.
     */
    static JdbcConnectionOptions connectionOptions(JournalOptions options) {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder connection =
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(options.url())
                        .withDriverName(options.driverName())
                        .withUsername(options.user())
                        .withPassword(options.password())
                        .withConnectionCheckTimeoutSeconds(
                                JournalOptions.seconds(options.connectTimeoutMs()));
        for (String name : options.timeoutProperties().stringPropertyNames()) {
            connection.withProperty(name, options.timeoutProperties().getProperty(name));
        }
        return connection.build();
    }

    static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static void setTimestamp(PreparedStatement ps, int index, Instant instant)
            throws SQLException {
        if (instant == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, timestamp(instant));
        }
    }

    private static String jsonText(Object value) throws IOException {
        return Json.mapper().writeValueAsString(value);
    }

    static String json(Object value) throws SQLException {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot write JSON", e);
        }
    }
}
