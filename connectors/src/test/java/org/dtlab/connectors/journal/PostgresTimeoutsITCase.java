package org.dtlab.connectors.journal;

import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;

import org.dtlab.connectors.testutils.TestDatabase;
import org.junit.jupiter.api.Test;

import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's connections to a real PostgreSQL — its own ({@link JournalOptions#connect}, the COPY
 * writer's and the dead letters') and the Flink JDBC sink's — wait at most the options' socket
 * timeout for an answer, and a timeout the user put in the JDBC URL wins over them.
 */
class PostgresTimeoutsITCase {

    @Test
    void everyConnectionWaitsAtMostTheSocketTimeoutForAnAnswer() throws Exception {
        TestDatabase db = TestDatabase.postgres();
        JournalOptions options = options(db.url(), db);

        assertThat(socketTimeoutMs(options)).isEqualTo(7_000);
        assertThat(flinkSinkSocketTimeoutMs(options)).isEqualTo(7_000);
    }

    @Test
    void aSocketTimeoutInTheUrlWinsOverTheOptions() throws Exception {
        TestDatabase db = TestDatabase.postgres();
        JournalOptions options = options(db.url() + "&socketTimeout=5", db);

        assertThat(socketTimeoutMs(options)).isEqualTo(5_000);
        assertThat(flinkSinkSocketTimeoutMs(options)).isEqualTo(5_000);
    }

    private static JournalOptions options(String url, TestDatabase db) {
        return JournalOptions.builder()
                .setUrl(url)
                .setUser(db.user())
                .setPassword(db.password())
                .setSocketTimeoutMs(6_001)
                .build();
    }

    private static int socketTimeoutMs(JournalOptions options) throws Exception {
        try (Connection connection = options.connect()) {
            return connection.getNetworkTimeout();
        }
    }

    private static int flinkSinkSocketTimeoutMs(JournalOptions options) throws Exception {
        SimpleJdbcConnectionProvider provider =
                new SimpleJdbcConnectionProvider(JournalSinks.connectionOptions(options));
        try {
            return provider.getOrEstablishConnection().getNetworkTimeout();
        } finally {
            provider.closeConnection();
        }
    }
}
