package org.dtlab.connectors.journal;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** A journal table written with PostgreSQL's binary {@code COPY} ({@link PgCopyWriter}). */
final class PgCopySink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final CopyTable<T> table;
    private final JournalOptions options;

    PgCopySink(CopyTable<T> table, JournalOptions options) {
        this.table = table;
        this.options = options;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        return new PgCopyWriter<>(
                table, options, context.getProcessingTimeService(), context.metricGroup());
    }
}
