package org.dtlab.query.http;

import io.undertow.server.HttpServerExchange;
import org.dtlab.query.stream.EventFilter;
import org.dtlab.query.stream.StreamedEvent;
import org.dtlab.query.stream.Subscriber;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.channels.StreamSinkChannel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open stream, written without blocking: frames are queued from any thread and written by the
 * connection's IO thread when the socket takes them; a full socket parks the rest in the queue, not
 * a thread. At most {@code maxPending} events may wait (beyond a resume's replay); one more and the
 * client is dropped — its connection closed — so a slow or vanished reader costs a bounded queue
 * and never holds up the poller or another stream. Frames are shared byte arrays: an event is
 * rendered once for all streams.
 */
final class SseConnection implements Subscriber {

    private static final byte[] KEEP_ALIVE = ":\n\n".getBytes(StandardCharsets.UTF_8);

    private final HttpServerExchange exchange;
    private final StreamSinkChannel sink;
    private final XnioIoThread io;
    private final EventFilter filter;
    private final int maxPending;
    private final Runnable onDrop;
    private final Queue<byte[]> queue = new ConcurrentLinkedQueue<>();

    /** Events queued and not yet written whole. */
    private final AtomicInteger pending = new AtomicInteger();

    /** Replayed events, which widen the limit (by at most the retention). */
    private final AtomicInteger allowance = new AtomicInteger();

    /**
     * Whether a write is due on the IO thread. True at first: the response's first write (when
     * Undertow resumes writes after the request handler returns) drains whatever was queued before.
     */
    private final AtomicBoolean writeDue = new AtomicBoolean(true);

    private volatile boolean closed;
    private ByteBuffer current; // IO thread only
    private XnioExecutor.Key keepAlive;

    SseConnection(
            HttpServerExchange exchange, EventFilter filter, int maxPending, Runnable onDrop) {
        this.exchange = exchange;
        this.sink = exchange.getResponseChannel();
        this.io = exchange.getIoThread();
        this.filter = filter;
        this.maxPending = maxPending;
        this.onDrop = onDrop;
    }

    /**
     * Starts writing once the request handler returns, with {@code first} (a {@code retry:} line,
     * which also sends the headers at once), and a comment every {@code keepAliveMs} of the
     * stream's life: it keeps proxies and the idle timeout from closing a quiet stream, and finds
     * clients that have gone (the write fails).
     */
    void start(byte[] first, long keepAliveMs, Runnable onClose) {
        exchange.getConnection()
                .addCloseListener(
                        c -> {
                            closed = true;
                            if (keepAlive != null) {
                                keepAlive.remove();
                            }
                            onClose.run();
                        });
        sink.getWriteSetter().set(channel -> write());
        allowance.incrementAndGet();
        pending.incrementAndGet();
        queue.add(first);
        keepAlive =
                io.executeAtInterval(
                        () -> {
                            if (queue.isEmpty()) {
                                enqueue(KEEP_ALIVE);
                            }
                        },
                        keepAliveMs,
                        TimeUnit.MILLISECONDS);
        sink.resumeWrites(); // in the handler's call: Undertow resumes writes once it returns
    }

    @Override
    public EventFilter filter() {
        return filter;
    }

    @Override
    public void send(StreamedEvent event) {
        if (pending.incrementAndGet() > maxPending + allowance.get()) {
            drop();
            return;
        }
        enqueue(event.frame());
    }

    @Override
    public void replay(StreamedEvent event) {
        allowance.incrementAndGet();
        pending.incrementAndGet();
        enqueue(event.frame());
    }

    @Override
    public void reset(String lastEventId, long resumedAfter) {
        allowance.incrementAndGet();
        pending.incrementAndGet();
        // With the id the replay starts after, so that a further reconnect resumes from there.
        enqueue(
                StreamedEvent.frame(
                        Long.toString(resumedAfter),
                        "Reset",
                        "{\"lastEventId\":\""
                                + printable(lastEventId)
                                + "\",\"resumedAfter\":\""
                                + resumedAfter
                                + "\",\"reason\":\"events after Last-Event-ID are no longer"
                                + " retained: re-read the state\"}"));
    }

    private void enqueue(byte[] frame) {
        if (closed) {
            return;
        }
        queue.add(frame);
        if (writeDue.compareAndSet(false, true)) {
            io.execute(this::write);
        }
    }

    /** On the IO thread: writes what the socket takes, and waits for it to take more. */
    private void write() {
        writeDue.set(false);
        if (closed) {
            return;
        }
        try {
            while (true) {
                if (current == null) {
                    byte[] frame = queue.poll();
                    if (frame == null) {
                        break;
                    }
                    current = ByteBuffer.wrap(frame);
                }
                sink.write(current);
                if (current.hasRemaining()) {
                    sink.resumeWrites(); // the socket is full: on when it drains
                    return;
                }
                if (current.array() != KEEP_ALIVE) { // keep-alives are not counted as pending
                    pending.decrementAndGet();
                }
                current = null;
            }
            if (sink.flush()) {
                sink.suspendWrites();
            } else {
                sink.resumeWrites();
            }
        } catch (IOException e) {
            close();
        }
    }

    private void drop() {
        if (!closed) {
            closed = true;
            onDrop.run();
            io.execute(this::close);
        }
    }

    private void close() {
        closed = true;
        IoUtils.safeClose(exchange.getConnection());
    }

    /** The client's header, safe inside a JSON string on one line. */
    private static String printable(String text) {
        return text.replaceAll("[^A-Za-z0-9_.:@~ -]", "?");
    }
}
