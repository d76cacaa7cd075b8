package org.dtlab.connectors.journal;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.connector.jdbc.core.datastream.sink.committer.JdbcCommitable;
import org.apache.flink.connector.jdbc.core.datastream.sink.writer.JdbcWriterState;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * The Flink JDBC sink, with a writer whose {@code close()} never throws ({@link
 * JournalSinkWriter}).
 *
 * <p>Why: when the database goes away, the JDBC writer's {@code close()} flushes its pending batch
 * again and rethrows the failure. Flink 2.2 closes the operators of a failed task inside {@code
 * Task}'s exception handler, where any exception counts as fatal: the TaskExecutor shuts down
 * ("FATAL - exception in exception handler of task …"), and with it the only TaskManager of a
 * MiniCluster, so the job waits for slots forever instead of restarting from its checkpoint.
 *
 * <p>Everything else is delegated unchanged: the same writer state, committer and serializers, so
 * the job's topology, operator ids and checkpoints are the same as with the plain {@link JdbcSink}.
 */
final class JournalSink<T>
        implements Sink<T>,
                SupportsWriterState<T, JdbcWriterState>,
                SupportsCommitter<JdbcCommitable> {

    private static final long serialVersionUID = 1L;

    private final JdbcSink<T> delegate;
    private final String name;

    JournalSink(JdbcSink<T> delegate, String name) {
        this.delegate = delegate;
        this.name = name;
    }

    @Override
    public JournalSinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public JournalSinkWriter<T> restoreWriter(
            WriterInitContext context, Collection<JdbcWriterState> recoveredState)
            throws IOException {
        return new JournalSinkWriter<>(delegate.restoreWriter(context, recoveredState), name);
    }

    @Override
    public SimpleVersionedSerializer<JdbcWriterState> getWriterStateSerializer() {
        return delegate.getWriterStateSerializer();
    }

    @Override
    public Committer<JdbcCommitable> createCommitter(CommitterInitContext context)
            throws IOException {
        return delegate.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<JdbcCommitable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }
}
