package org.dtlab.connectors.webhook;

import org.dtlab.connectors.journal.JournalOptions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.dtlab.model.journal.JournalLimits.EVENT_ID;
import static org.dtlab.model.journal.JournalLimits.NAME;
import static org.dtlab.model.journal.JournalLimits.REASON;
import static org.dtlab.model.journal.JournalLimits.URL;
import static org.dtlab.model.journal.JournalLimits.fit;
import static org.dtlab.model.journal.JournalLimits.varchar;

/** Dead letters in the journal table {@code dtlab_dead_letters}, inserted if absent. */
public final class JdbcDeadLetterStore implements DeadLetterStore {

    private static final long serialVersionUID = 1L;

    static final String SQL =
            "MERGE INTO dtlab_dead_letters t USING (VALUES (CAST(? AS "
                    + varchar(EVENT_ID)
                    + "), CAST(? AS "
                    + varchar(NAME)
                    + "), CAST(? AS "
                    + varchar(URL)
                    + "), CAST(? AS INTEGER), CAST(? AS "
                    + varchar(REASON)
                    + "), CAST(? AS INTEGER), CAST(? AS VARCHAR), CAST(? AS TIMESTAMP WITH TIME"
                    + " ZONE))) AS s (event_id, webhook, url, status, reason, attempts, payload,"
                    + " failed_at) ON t.event_id = s.event_id AND t.webhook = s.webhook WHEN NOT"
                    + " MATCHED THEN INSERT (event_id, webhook, url, status, reason, attempts,"
                    + " payload, failed_at) VALUES (s.event_id, s.webhook, s.url, s.status,"
                    + " s.reason, s.attempts, s.payload, s.failed_at)";

    private final JournalOptions options;

    public JdbcDeadLetterStore(JournalOptions options) {
        this.options = options;
    }

    @Override
    public Writer open() {
        return new Writer() {
            private Connection connection;

            @Override
            public void write(DeadLetter letter) throws SQLException {
                if (connection == null || !connection.isValid(1)) {
                    connection = options.connect(); // with its timeouts
                }
                try {
                    insert(letter);
                } catch (SQLException e) {
                    // Not used again: a connection to an embedded H2 whose store was closed still
                    // passes isValid, and each statement on it closes the database that H2 has
                    // opened since (docs/deployment.md, "Faults").
                    close();
                    connection = null;
                    throw e;
                }
            }

            private void insert(DeadLetter letter) throws SQLException {
                try (PreparedStatement ps = connection.prepareStatement(SQL)) {
                    ps.setString(1, letter.eventId());
                    ps.setString(2, letter.webhook());
                    ps.setString(3, letter.url());
                    if (letter.status() == null) {
                        ps.setNull(4, Types.INTEGER);
                    } else {
                        ps.setInt(4, letter.status());
                    }
                    ps.setString(5, fit(letter.reason(), REASON));
                    ps.setInt(6, letter.attempts());
                    ps.setString(7, letter.payload());
                    ps.setObject(8, OffsetDateTime.ofInstant(letter.failedAt(), ZoneOffset.UTC));
                    ps.executeUpdate();
                }
            }

            @Override
            public void close() {
                if (connection != null) {
                    try {
                        connection.close();
                    } catch (SQLException ignored) {
                        // closing a connection we no longer need
                    }
                }
            }
        };
    }
}
