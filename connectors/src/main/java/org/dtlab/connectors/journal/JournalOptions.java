package org.dtlab.connectors.journal;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the journal database is and how the sinks write to it.
 *
 * <p>Every connection the job opens to it has bounded timeouts ({@link #connectionProperties}), so
 * that a database that hangs — a frozen server, a network partition: connections open, nothing
 * answers — fails a write after a while instead of blocking its task for ever.
 *
 * @param url a {@code jdbc:postgresql:} or {@code jdbc:h2:} URL
 * @param batchSize rows per JDBC batch
 * @param batchIntervalMs the longest a row waits in a batch
 * @param maxRetries retries of a failed batch before the job fails (and restarts from a checkpoint)
 * @param connectTimeoutMs PostgreSQL: the longest opening a connection may take, logging in
 *     included (whole seconds for the driver, rounded up)
 * @param socketTimeoutMs PostgreSQL: the longest a connection may wait for the server's answer to
 *     anything it sent — a statement, a {@code COPY}, a commit (whole seconds, rounded up)
 */
public record JournalOptions(
        String url,
        String user,
        String password,
        int batchSize,
        long batchIntervalMs,
        int maxRetries,
        int connectTimeoutMs,
        int socketTimeoutMs)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The default of {@link #connectTimeoutMs}: as the PostgreSQL driver's own TCP default. */
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

    /**
     * The default of {@link #socketTimeoutMs}: far above what a batch of 500 rows takes on a busy
     * server (milliseconds to a few seconds, a commit waiting for a checkpoint of PostgreSQL's
     * included), well below Flink's task cancellation timeout (3 minutes), after which a task that
     * does not end kills its TaskManager.
     */
    public static final int DEFAULT_SOCKET_TIMEOUT_MS = 60_000;

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
        if (connectTimeoutMs < 1) {
            throw new IllegalArgumentException(
                    "connectTimeoutMs must be at least 1, got " + connectTimeoutMs);
        }
        if (socketTimeoutMs < 1) {
            throw new IllegalArgumentException(
                    "socketTimeoutMs must be at least 1, got " + socketTimeoutMs);
        }
    }

    /**
     * The defaults: batches of up to 500 rows, flushed at least every 200 ms, 3 retries; connect
     * timeout 10 s, socket timeout 60 s.
     */
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

    /**
     * The driver's properties for a connection: the user, the password and, on PostgreSQL, the
     * timeouts ({@code connectTimeout} and {@code loginTimeout} from {@link #connectTimeoutMs},
     * {@code socketTimeout} from {@link #socketTimeoutMs}, in whole seconds). A parameter of the
     * same name in the URL wins: the driver reads the URL's parameters over these. An embedded H2
     * needs none: it is in the job's process, with no network to hang on.
     */
    public Properties connectionProperties() {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.putAll(timeoutProperties());
        return properties;
    }

    /** The timeouts of {@link #connectionProperties}: none but on PostgreSQL. */
    public Properties timeoutProperties() {
        Properties properties = new Properties();
        if (postgres()) {
            String connect = String.valueOf(seconds(connectTimeoutMs));
            properties.setProperty("connectTimeout", connect);
            properties.setProperty("loginTimeout", connect);
            properties.setProperty("socketTimeout", String.valueOf(seconds(socketTimeoutMs)));
        }
        return properties;
    }

    /** Opens a connection with {@link #connectionProperties}. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, connectionProperties());
    }

    /** {@code millis} in whole seconds, rounded up: what the PostgreSQL driver takes. */
    public static int seconds(int millis) {
        return (int) Math.max(1, (millis + 999L) / 1000);
    }

    /** Builds {@link JournalOptions}; {@link #build()} names a setting that is wrong. */
    public static final class Builder {

        private String url;
        private String user;
        private String password;
        private int batchSize = 500;
        private long batchIntervalMs = 200;
        private int maxRetries = 3;
        private int connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
        private int socketTimeoutMs = DEFAULT_SOCKET_TIMEOUT_MS;

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

        /** PostgreSQL: the longest opening a connection may take; default 10 s. */
        public Builder setConnectTimeoutMs(int connectTimeoutMs) {
            this.connectTimeoutMs = connectTimeoutMs;
            return this;
        }

        /** PostgreSQL: the longest a connection waits for an answer; default 60 s. */
        public Builder setSocketTimeoutMs(int socketTimeoutMs) {
            this.socketTimeoutMs = socketTimeoutMs;
            return this;
        }

        public JournalOptions build() {
            return new JournalOptions(
                    url,
                    user,
                    password,
                    batchSize,
                    batchIntervalMs,
                    maxRetries,
                    connectTimeoutMs,
                    socketTimeoutMs);
        }
    }

    @Override
    public String toString() {
        return "JournalOptions[url="
                + url
                + ", user="
                + user
                + ", batchSize="
                + batchSize
                + ", connectTimeoutMs="
                + connectTimeoutMs
                + ", socketTimeoutMs="
                + socketTimeoutMs
                + "]";
    }
}
