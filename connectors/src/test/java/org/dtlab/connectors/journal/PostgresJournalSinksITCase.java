package org.dtlab.connectors.journal;

import org.dtlab.connectors.testutils.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresJournalSinksITCase extends JournalSinksITCase {

    @Override
    TestDatabase database() throws Exception {
        return TestDatabase.postgres();
    }

    /** Room on every page of the state table, so that its updates are HOT (no index writes). */
    @Test
    void theStateTableLeavesRoomOnItsPagesForUpdates() throws Exception {
        TestDatabase db = database();
        db.applySchema();
        db.applySchema();

        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT array_to_string(reloptions, ',') FROM pg_class"
                                        + " WHERE oid = 'dtlab_twin_state'::regclass")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("fillfactor=70");
        }
    }

    /** Users' queries find a twin's events and a time range of events by index (Grafana). */
    @Test
    void theEventsAreIndexedByTwinAndByTime() throws Exception {
        TestDatabase db = database();
        db.applySchema();

        assertThat(
                        db.count(
                                "SELECT COUNT(*) FROM pg_indexes WHERE schemaname ="
                                        + " current_schema() AND tablename = 'dtlab_events' AND"
                                        + " indexname IN ('dtlab_events_by_path',"
                                        + " 'dtlab_events_by_time')"))
                .isEqualTo(2);
    }
}
