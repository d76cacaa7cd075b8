package org.dtlab.connectors.journal;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a journal table with PostgreSQL's binary {@code COPY}: rows are buffered and sent in one
 * {@code COPY} per batch — when the batch is full, when its oldest row has waited the batch
 * interval, before every checkpoint barrier and at the end of input — each batch in one
 * transaction.
 *
 * <p>Delivery is at least once (nothing is acknowledged before the checkpoint that follows it), and
 * every batch is idempotent ({@link CopyTable}), so the database sees each row once. A batch that
 * fails is retried on a new connection, {@code maxRetries} times, then fails the task (a restart
 * from the last checkpoint). Every wait for the server is bounded by the options' socket timeout,
 * connecting by their connect timeout ({@link JournalOptions#connectionProperties}). {@link
 * #close()} never throws and does not write: see {@link JournalSink} for why, and why nothing is
 * lost.
 */
final class PgCopyWriter<T> implements SinkWriter<T> {

    private static final Logger LOG = LoggerFactory.getLogger(PgCopyWriter.class);
    private static final String UNIQUE_VIOLATION = "23505";

    private final CopyTable<T> table;
    private final JournalOptions options;
    private final ProcessingTimeService timers;
    private final Counter rowsSent;
    private final Counter bytesSent;

    private final List<T> rows = new ArrayList<>();
    private final Map<String, T> newestByKey = new LinkedHashMap<>();
    private final PgBinaryRows encoded = new PgBinaryRows();

    private Connection connection;

    /**
     * Insert-once tables: batches go through the staging table while they meet rows already
     * written.
     */
    private boolean staged;

    private boolean timerSet;
    private boolean closed;

    PgCopyWriter(
            CopyTable<T> table,
            JournalOptions options,
            ProcessingTimeService timers,
            SinkWriterMetricGroup metrics) {
        this.table = table;
        this.options = options;
        this.timers = timers;
        this.rowsSent = metrics.getNumRecordsSendCounter();
        this.bytesSent = metrics.getNumBytesSendCounter();
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        if (table.upserts()) {
            newestByKey.merge(
                    table.batchKey().of(element),
                    element,
                    (old, next) -> table.version().of(next) > table.version().of(old) ? next : old);
        } else {
            rows.add(element);
        }
        if (pending() >= options.batchSize()) {
            writeBatch();
        } else if (!timerSet && options.batchIntervalMs() > 0) {
            timerSet = true;
            timers.registerTimer(
                    timers.getCurrentProcessingTime() + options.batchIntervalMs(),
                    time -> {
                        timerSet = false;
                        if (!closed) {
                            writeBatch();
                        }
                    });
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        writeBatch();
    }

    private int pending() {
        return table.upserts() ? newestByKey.size() : rows.size();
    }

    private void writeBatch() throws IOException, InterruptedException {
        int count = pending();
        if (count == 0) {
            return;
        }
        byte[] data = encode(table.upserts() ? newestByKey.values() : rows);
        for (int attempt = 0; ; attempt++) {
            try {
                copy(data, count);
                break;
            } catch (SQLException e) {
                closeConnection();
                if (attempt >= options.maxRetries()) {
                    throw new IOException(
                            "cannot write "
                                    + count
                                    + " rows to "
                                    + table.table()
                                    + " after "
                                    + (attempt + 1)
                                    + " attempts",
                            e);
                }
                LOG.warn(
                        "{}: COPY of {} rows failed ({}), retrying",
                        table.table(),
                        count,
                        e.getMessage());
                Thread.sleep(1000L * (attempt + 1));
            }
        }
        rowsSent.inc(count);
        bytesSent.inc(data.length);
        rows.clear();
        newestByKey.clear();
    }

    private byte[] encode(Collection<T> elements) throws IOException {
        encoded.reset();
        int fields = table.columns().size();
        for (T element : elements) {
            encoded.startRow(fields);
            table.row().write(element, encoded);
        }
        return encoded.finish();
    }

    private void copy(byte[] data, int count) throws SQLException, IOException {
        Connection c = connection();
        try {
            if (table.upserts() || staged) {
                long written = copyStaged(c, data);
                // An insert-once batch that wrote every row met no duplicate: the replay is over.
                staged = table.upserts() || written < count;
            } else {
                try {
                    copyIn(c, table.copyInto(table.table()), data);
                    c.commit();
                } catch (SQLException e) {
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    c.rollback(); // rows already written: a replay after a recovery
                    staged = true;
                    copyStaged(c, data);
                }
            }
        } catch (SQLException | IOException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    /**
     * Copies into the session's staging table, merges into the table, commits; returns rows
     * written.
     */
    private long copyStaged(Connection c, byte[] data) throws SQLException, IOException {
        try (Statement statement = c.createStatement()) {
            statement.execute(table.createStaging());
            copyIn(c, table.copyInto(table.stagingTable()), data);
            int written = statement.executeUpdate(table.mergeFromStaging());
            c.commit();
            return written;
        }
    }

    private static void copyIn(Connection c, String sql, byte[] data)
            throws SQLException, IOException {
        c.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn(sql, new ByteArrayInputStream(data), data.length);
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            // With the options' timeouts: a server that hangs fails the batch after the socket
            // timeout (then retried, then a restart) instead of blocking the task for ever.
            connection = options.connect();
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is closed and replaced next
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (pending() > 0) {
            LOG.info(
                    "{}: {} rows since the last checkpoint not written at close; they are written"
                            + " again after a restart",
                    table.table(),
                    pending());
        }
        closeConnection();
    }
}
