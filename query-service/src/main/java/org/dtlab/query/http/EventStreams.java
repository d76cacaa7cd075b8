package org.dtlab.query.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.dtlab.query.api.ApiException;
import org.dtlab.query.stream.EventFilter;
import org.dtlab.query.stream.EventHub;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Opens Server-Sent Event streams on Undertow ({@code text/event-stream}) and subscribes them to
 * the {@link EventHub}. No thread is held per stream: a stream is a socket, a queue of shared
 * frames and a keep-alive timer on its IO thread ({@link SseConnection}).
 */
public final class EventStreams {

    /**
     * @param maxStreams open streams at most; more get a 503
     * @param maxPending events that may wait for one client before it is dropped
     * @param keepAliveMs a comment is sent this often
     */
    public record Limits(int maxStreams, int maxPending, long keepAliveMs) {}

    private static final HttpString LAST_EVENT_ID = new HttpString("Last-Event-ID");

    /** Browsers reconnect after this long when a stream breaks. */
    private static final byte[] RETRY = "retry: 1000\n\n".getBytes(StandardCharsets.UTF_8);

    private final EventHub hub;
    private final Limits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();

    public EventStreams(EventHub hub, Limits limits) {
        this.hub = hub;
        this.limits = limits;
    }

    /**
     * Starts streaming to the exchange (from the request handler's call); it stays open until the
     * client or the server closes it. A new stream starts at the newest event as of this request;
     * with {@code Last-Event-ID} it first gets the retained events after that id.
     */
    void open(HttpServerExchange exchange, EventFilter filter) {
        if (open.incrementAndGet() > limits.maxStreams()) {
            open.decrementAndGet();
            throw new ApiException(
                    503,
                    "this service holds " + limits.maxStreams() + " streams already; retry later");
        }
        String lastEventId = exchange.getRequestHeaders().getFirst(LAST_EVENT_ID);
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=UTF-8");
        exchange.getResponseHeaders().put(new HttpString("Cache-Control"), "no-store");
        exchange.getResponseHeaders()
                .put(new HttpString("X-Accel-Buffering"), "no"); // nginx: do not buffer
        exchange.setPersistent(false);
        SseConnection stream =
                new SseConnection(exchange, filter, limits.maxPending(), dropped::increment);
        stream.start(
                RETRY,
                limits.keepAliveMs(),
                () -> {
                    hub.unsubscribe(stream);
                    open.decrementAndGet();
                });
        hub.subscribe(stream, lastEventId != null ? lastEventId : Long.toString(hub.newest()));
    }

    public int openStreams() {
        return open.get();
    }

    public long droppedStreams() {
        return dropped.sum();
    }
}
