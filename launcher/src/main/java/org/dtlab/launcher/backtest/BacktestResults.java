package org.dtlab.launcher.backtest;

import org.dtlab.connectors.journal.JournalOptions;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.journal.JournalSchema;
import org.dtlab.model.json.Json;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;

/**
 * A back-test's result tables in a journal database: {@code dtlab_backtest_runs} (one row per run,
 * its summary), {@code dtlab_backtest_events} (written by the job's JDBC sink while it runs) and
 * {@code dtlab_backtest_states} (each twin's final state, written here at the end). Everything is
 * keyed by the run id; the live tables are never written.
 */
final class BacktestResults {

    private static final int BATCH = 1_000;

    private final JournalOptions journal;
    private final String runId;

    private BacktestResults(JournalOptions journal, String runId) {
        this.journal = journal;
        this.runId = runId;
    }

    /**
     * Connects, creates the tables that are missing, and checks the run id is new.
     *
     * @throws IllegalArgumentException with a one-line reason: the database cannot be reached, or
     *     the run id already has results
     */
    static BacktestResults open(JournalOptions journal, String runId) throws SQLException {
        try (Connection c = connect(journal)) {
            JournalSchema.apply(c);
            try (PreparedStatement s =
                    c.prepareStatement(
                            "SELECT finished FROM dtlab_backtest_runs WHERE run_id = ?")) {
                s.setString(1, runId);
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        throw new IllegalArgumentException(
                                "run id '"
                                        + runId
                                        + "' already has results in dtlab_backtest_runs"
                                        + " (finished "
                                        + r.getObject(1, OffsetDateTime.class)
                                        + "): choose another --run-id");
                    }
                }
            }
        }
        return new BacktestResults(journal, runId);
    }

    JournalOptions journal() {
        return journal;
    }

    /** Deletes the run's events, for a run of the job again under the same id. */
    void discardEvents() throws SQLException {
        try (Connection c = connect(journal);
                PreparedStatement delete =
                        c.prepareStatement("DELETE FROM dtlab_backtest_events WHERE run_id = ?")) {
            delete.setString(1, runId);
            delete.executeUpdate();
        }
    }

    /**
     * Writes the final states and the run's summary in one transaction: the run row marks it
     * complete.
     */
    void finish(Collection<TwinSnapshot> states, String summaryJson)
            throws SQLException, IOException {
        try (Connection c = connect(journal)) {
            c.setAutoCommit(false);
            try (PreparedStatement delete =
                    c.prepareStatement("DELETE FROM dtlab_backtest_states WHERE run_id = ?")) {
                delete.setString(1, runId);
                delete.executeUpdate();
            }
            try (PreparedStatement insert =
                    c.prepareStatement(
                            "INSERT INTO dtlab_backtest_states (run_id, path, dt_type, version,"
                                    + " seq, state, updated) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                int pending = 0;
                for (TwinSnapshot s : states) {
                    insert.setString(1, runId);
                    insert.setString(2, s.path());
                    insert.setString(3, s.dtType());
                    insert.setLong(4, s.version());
                    insert.setLong(5, s.sequence());
                    insert.setString(6, Json.mapper().writeValueAsString(s.state()));
                    if (s.updated() == null) {
                        insert.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
                    } else {
                        insert.setObject(7, OffsetDateTime.ofInstant(s.updated(), ZoneOffset.UTC));
                    }
                    insert.addBatch();
                    if (++pending == BATCH) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
                insert.executeBatch();
            }
            try (PreparedStatement run =
                    c.prepareStatement(
                            "INSERT INTO dtlab_backtest_runs (run_id, finished, summary) VALUES (?,"
                                    + " ?, ?)")) {
                run.setString(1, runId);
                run.setObject(2, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
                run.setString(3, summaryJson);
                run.executeUpdate();
            }
            c.commit();
        }
    }

    private static Connection connect(JournalOptions journal) {
        try {
            return journal.connect(); // with its timeouts
        } catch (SQLException e) {
            throw new IllegalArgumentException(
                    "cannot connect to the database at "
                            + journal.url()
                            + " as '"
                            + journal.user()
                            + "': "
                            + e.getMessage().lines().findFirst().orElse("")
                            + " (check --jdbc.url, --jdbc.user, --jdbc.password)");
        }
    }
}
