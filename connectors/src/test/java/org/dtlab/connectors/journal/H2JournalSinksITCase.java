package org.dtlab.connectors.journal;

import org.dtlab.connectors.testutils.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class H2JournalSinksITCase extends JournalSinksITCase {

    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }

    /**
     * H2 stores its database each time an identity sequence has handed out its cache of numbers:
     * with the default of 32, that was half of the events writer's time (schema-h2.sql).
     */
    @Test
    void theEventNumbersComeFromACacheOfAThousand() throws Exception {
        TestDatabase db = database();
        db.applySchema();

        assertThat(
                        db.count(
                                "SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS"
                                        + " WHERE TABLE_NAME = 'DTLAB_EVENTS'"
                                        + " AND COLUMN_NAME = 'EVENT_NO'"))
                .isEqualTo(1000);
    }

    /**
     * The events' indexes by twin and by time are PostgreSQL's (users' queries); the embedded H2 is
     * read by DT Lab alone, and a database made by an earlier version loses them at the next start.
     */
    @Test
    void theEventsHaveNoIndexesByTwinOrTimeEvenInADatabaseOfAnEarlierVersion() throws Exception {
        TestDatabase db = database();
        db.applySchema();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE INDEX dtlab_events_by_path ON dtlab_events (path, seq)");
            s.execute("CREATE INDEX dtlab_events_by_time ON dtlab_events (created)");
        }
        db.applySchema();

        assertThat(
                        db.count(
                                "SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES"
                                        + " WHERE TABLE_NAME = 'DTLAB_EVENTS' AND INDEX_NAME IN"
                                        + " ('DTLAB_EVENTS_BY_PATH', 'DTLAB_EVENTS_BY_TIME')"))
                .isZero();
    }
}
