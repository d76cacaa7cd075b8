package org.dtlab.query.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections of a data source that has no connect timeout of its own, opened within one: {@link
 * #getConnection()} waits at most {@code timeoutMs}, then throws {@link SQLTimeoutException} (the
 * API answers 503, naming the journal database).
 *
 * <p>For an embedded H2 database. H2 ignores the login timeout ({@code
 * JdbcDataSource#setLoginTimeout} only stores it), and opening a connection can wait: for as long
 * as another thread opens the database file (its recovery, a slow disk, a database event listener),
 * and up to a minute while H2 closes the database after a failed write. A connection is opened on a
 * thread of this class's own, never interrupted (an interrupt during file I/O closes H2's file
 * channel, and the store with it); one that arrives after its caller gave up is closed. At most
 * {@code maxOpening} opens wait at once: beyond that a call fails at once, so a hung database never
 * piles up threads.
 */
public final class TimedConnections implements DataSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TimedConnections.class);

    private final DataSource source;
    private final int timeoutMs;
    private final ThreadPoolExecutor opening;

    /**
     * @param source the data source whose connections are opened
     * @param timeoutMs how long a caller waits for a connection
     * @param maxOpening connections being opened at once, at most
     */
    public TimedConnections(DataSource source, int timeoutMs, int maxOpening) {
        if (timeoutMs < 1) {
            throw new IllegalArgumentException("timeoutMs must be at least 1, got " + timeoutMs);
        }
        if (maxOpening < 1) {
            throw new IllegalArgumentException("maxOpening must be at least 1, got " + maxOpening);
        }
        this.source = source;
        this.timeoutMs = timeoutMs;
        AtomicInteger threads = new AtomicInteger();
        this.opening =
                new ThreadPoolExecutor(
                        0,
                        maxOpening,
                        30,
                        TimeUnit.SECONDS,
                        new SynchronousQueue<>(),
                        r -> {
                            Thread thread =
                                    new Thread(r, "dtlab-db-connect-" + threads.incrementAndGet());
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    @Override
    public Connection getConnection() throws SQLException {
        CompletableFuture<Connection> connection;
        try {
            connection = CompletableFuture.supplyAsync(this::open, opening);
        } catch (RejectedExecutionException e) {
            throw new SQLTransientConnectionException(
                    opening.isShutdown()
                            ? "closed"
                            : "the journal database is still opening "
                                    + opening.getMaximumPoolSize()
                                    + " earlier connections",
                    e);
        }
        try {
            return connection.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            closeWhenOpen(connection);
            throw new SQLTimeoutException(
                    "no connection to the journal database within " + timeoutMs + " ms", e);
        } catch (InterruptedException e) {
            closeWhenOpen(connection);
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted opening a connection", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OpenFailure failure) {
                throw failure.sql;
            }
            throw new SQLException("cannot open a connection: " + e.getCause(), e.getCause());
        }
    }

    private Connection open() {
        try {
            return source.getConnection();
        } catch (SQLException e) {
            throw new OpenFailure(e);
        }
    }

    /** Carries the source's {@link SQLException} out of the opening thread. */
    private static final class OpenFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient SQLException sql;

        OpenFailure(SQLException sql) {
            super(sql);
            this.sql = sql;
        }
    }

    /** Closes a connection its caller gave up waiting for, once it is open. */
    private static void closeWhenOpen(CompletableFuture<Connection> connection) {
        connection.thenAccept(
                c -> {
                    try {
                        c.close();
                    } catch (SQLException e) {
                        LOG.debug(
                                "closing a late connection to the journal database: {}",
                                e.toString());
                    }
                });
    }

    /** Not supported: the user and password are the source's. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the user and password are the source's");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return source.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        source.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        throw new SQLFeatureNotSupportedException("the timeout is given to the constructor");
    }

    @Override
    public int getLoginTimeout() {
        return (timeoutMs + 999) / 1000;
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return source.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return source.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || source.isWrapperFor(type);
    }

    /** Stops the opening threads (connections being opened are closed when they arrive). */
    @Override
    public void close() {
        opening.shutdown();
    }
}
