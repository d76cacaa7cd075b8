package org.dtlab.connectors.journal;

import org.dtlab.connectors.testutils.TestDatabase;

class H2JournalSinksITCase extends JournalSinksITCase {

    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
