package org.dtlab.connectors.journal;

import org.dtlab.connectors.testutils.TestDatabase;
import org.junit.jupiter.api.Test;

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
}
