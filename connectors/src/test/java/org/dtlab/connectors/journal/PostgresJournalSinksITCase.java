package org.dtlab.connectors.journal;

import org.dtlab.connectors.testutils.TestDatabase;

class PostgresJournalSinksITCase extends JournalSinksITCase {

    @Override
    TestDatabase database() throws Exception {
        return TestDatabase.postgres();
    }
}
