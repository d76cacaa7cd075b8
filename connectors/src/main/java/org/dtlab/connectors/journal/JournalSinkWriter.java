package org.dtlab.connectors.journal;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriter;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterState;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * A {@link JdbcWriter} whose {@code close()} logs a failure instead of throwing it (see {@link
 * JournalSink} for why).
 *
 * <p>Nothing is lost by not throwing: rows count as written only once a checkpoint completes, and
 * the writer flushes before every checkpoint barrier and at the end of a bounded input, where a
 * failure still fails the task. What {@code close()} could not write was sent after the last
 * checkpoint and is read again from Kafka after the restart; the statements are idempotent.
 */
final class JournalSinkWriter<T>
        implements StatefulSinkWriter<T, JdbcWriterState>, CommittingSinkWriter<T, JdbcCommitable> {

    private static final Logger LOG = LoggerFactory.getLogger(JournalSinkWriter.class);

    private final JdbcWriter<T> delegate;
    private final String name;

    JournalSinkWriter(JdbcWriter<T> delegate, String name) {
        this.delegate = delegate;
        this.name = name;
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        delegate.write(element, context);
    }

    @Override
    public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
        delegate.writeWatermark(watermark);
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        delegate.flush(endOfInput);
    }

    @Override
    public List<JdbcWriterState> snapshotState(long checkpointId) throws IOException {
        return delegate.snapshotState(checkpointId);
    }

    @Override
    public Collection<JdbcCommitable> prepareCommit() throws IOException, InterruptedException {
        return delegate.prepareCommit();
    }

    @Override
    public void close() {
        try {
            delegate.close();
        } catch (Exception e) {
            LOG.warn(
                    "journal sink '{}': rows since the last checkpoint not written at close ({});"
                            + " they are written again after the restart",
                    name,
                    rootMessage(e));
            closeConnection();
        }
    }

    /**
     * Closes the writer's connection after a {@code close()} that threw. The JDBC writer's output
     * format throws its flush failure before it closes its connection (flink-connector-jdbc
     * 4.0.0-2.0, {@code JdbcOutputFormat#close}), so every failed close leaked one: a server
     * connection of PostgreSQL's, and with an embedded H2 a session that kept the database it
     * joined open for good — the one H2 opened read-only while its files were not writable, whose
     * file lock then refused every new connection ("The file is locked") after the files were
     * writable again. A second {@code close()} skips the flush, as the format is marked closed, and
     * closes the connection.
     */
    private void closeConnection() {
        try {
            delegate.close();
        } catch (Exception e) {
            LOG.debug("journal sink '{}': closing the connection after a failed close", name, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
