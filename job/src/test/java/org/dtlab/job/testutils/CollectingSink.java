package org.dtlab.job.testutils;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A sink that hands every record to the test, in the same JVM as the MiniCluster. Delivery is
 * at-least-once, like the production sinks: after a recovery a test sees replayed records again and
 * must reduce them the way the journal database does (insert-if-absent, newest version wins).
 */
public final class CollectingSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;
    private static final Map<String, Queue<Object>> RECEIVED = new ConcurrentHashMap<>();

    private final String name;

    private CollectingSink(String name) {
        this.name = name;
    }

    /** A sink whose records {@link #received} returns under {@code name}; clears earlier ones. */
    public static <T> CollectingSink<T> named(String name) {
        RECEIVED.put(name, new ConcurrentLinkedQueue<>());
        return new CollectingSink<>(name);
    }

    @SuppressWarnings("unchecked")
    public static <T> List<T> received(String name) {
        return (List<T>) List.copyOf(RECEIVED.getOrDefault(name, new ConcurrentLinkedQueue<>()));
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Queue<Object> queue = RECEIVED.get(name);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                queue.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
