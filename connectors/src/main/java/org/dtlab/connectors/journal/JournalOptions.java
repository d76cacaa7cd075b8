package org.dtlab.connectors.journal;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where the journal database is and how the sinks write to it.
 *
 * @param url a {@code jdbc:postgresql:} or {@code jdbc:h2:} URL
 * @param batchSize rows per JDBC batch
 * @param batchIntervalMs the longest a row waits in a batch
 * @param maxRetries retries of a failed batch before the job fails (and restarts from a checkpoint)
 */
public record JournalOptions(
        String url,
        String user,
        String password,
        int batchSize,
        long batchIntervalMs,
        int maxRetries)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public JournalOptions {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException(
                    "journal URL must start with jdbc:postgresql: or jdbc:h2: — got " + url);
        }
        if (batchSize < 1 || batchIntervalMs < 0 || maxRetries < 0) {
            throw new IllegalArgumentException(
                    "batchSize >= 1, batchIntervalMs >= 0 and maxRetries >= 0 are required");
        }
    }

    /** The defaults: batches of up to 500 rows, flushed at least every 200 ms, 3 retries. */
    public static JournalOptions of(String url, String user, String password) {
        return new JournalOptions(url, user, password, 500, 200, 3);
    }

    public boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    public String driverName() {
        return url.startsWith("jdbc:h2:") ? "org.h2.Driver" : "org.postgresql.Driver";
    }

    @Override
    public String toString() {
        return "JournalOptions[url=" + url + ", user=" + user + ", batchSize=" + batchSize + "]";
    }
}
