package org.dtlab.connectors.journal;

import java.io.Serializable;

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

    // Checked without Flink's Preconditions: the query service uses these options (dead letters)
    // and has no Flink on its class path.
    public JournalOptions {
        if (url == null) {
            throw new IllegalArgumentException(
                    "url is required: a jdbc:postgresql: or jdbc:h2: URL");
        }
        if (!url.startsWith("jdbc:postgresql:") && !url.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException(
                    "journal URL must start with jdbc:postgresql: or jdbc:h2: — got " + url);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (batchIntervalMs < 0) {
            throw new IllegalArgumentException(
                    "batchIntervalMs must be 0 or more, got " + batchIntervalMs);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more, got " + maxRetries);
        }
    }

    /** The defaults: batches of up to 500 rows, flushed at least every 200 ms, 3 retries. */
    public static JournalOptions of(String url, String user, String password) {
        return builder().setUrl(url).setUser(user).setPassword(password).build();
    }

    /** A builder: the URL is required, the batching settings have the defaults of {@link #of}. */
    public static Builder builder() {
        return new Builder();
    }

    public boolean postgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    public String driverName() {
        return url.startsWith("jdbc:h2:") ? "org.h2.Driver" : "org.postgresql.Driver";
    }

    /** Builds {@link JournalOptions}; {@link #build()} names a setting that is wrong. */
    public static final class Builder {

        private String url;
        private String user;
        private String password;
        private int batchSize = 500;
        private long batchIntervalMs = 200;
        private int maxRetries = 3;

        private Builder() {}

        /** A {@code jdbc:postgresql:} or {@code jdbc:h2:} URL (required). */
        public Builder setUrl(String url) {
            this.url = url;
            return this;
        }

        public Builder setUser(String user) {
            this.user = user;
            return this;
        }

        public Builder setPassword(String password) {
            this.password = password;
            return this;
        }

        /** Rows per batch; default 500. */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** The longest a row waits in a batch, 0 for no timer; default 200 ms. */
        public Builder setBatchIntervalMs(long batchIntervalMs) {
            this.batchIntervalMs = batchIntervalMs;
            return this;
        }

        /** Retries of a failed batch before the job fails; default 3. */
        public Builder setMaxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public JournalOptions build() {
            return new JournalOptions(url, user, password, batchSize, batchIntervalMs, maxRetries);
        }
    }

    @Override
    public String toString() {
        return "JournalOptions[url=" + url + ", user=" + user + ", batchSize=" + batchSize + "]";
    }
}
