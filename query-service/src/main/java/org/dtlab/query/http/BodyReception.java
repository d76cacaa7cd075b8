package org.dtlab.query.http;

import io.undertow.io.Receiver;
import io.undertow.server.HttpServerExchange;
import org.dtlab.query.api.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;

/**
 * Receives request bodies without a thread of their own: the IO thread collects the bytes as they
 * arrive, and only a complete body goes to a worker. A client that sends part of a body and stalls
 * holds a connection and its buffer until the read timeout closes it — never a worker that other
 * requests need. At most {@code maxPending} bodies are received at once (each may hold up to the
 * body limit in memory); beyond that a request gets a 503 at once.
 */
final class BodyReception {

    private static final Logger LOG = LoggerFactory.getLogger(BodyReception.class);

    /**
     * Declared bodies up to this many times the limit are read and dropped before the 413; larger
     * ones are not.
     */
    private static final int DRAIN_FACTOR = 8;

    private final int maxBodyBytes;
    private final int maxPending;
    private final Semaphore pending;

    BodyReception(int maxBodyBytes, int maxPending) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxPending = maxPending;
        this.pending = new Semaphore(maxPending);
    }

    /**
     * Receives the body, then hands it to {@code complete} (on the IO thread: dispatch from there).
     *
     * @param refused gets the answer when the body is refused (too large, too many at once)
     */
    void receive(
            HttpServerExchange exchange,
            BiConsumer<HttpServerExchange, byte[]> complete,
            BiConsumer<HttpServerExchange, ApiException> refused) {
        long declared = exchange.getRequestContentLength();
        if (declared > maxBodyBytes) {
            ApiException tooLarge =
                    new ApiException(
                            413,
                            "request body of "
                                    + declared
                                    + " bytes exceeds the limit of "
                                    + maxBodyBytes
                                    + " bytes");
            if (declared > (long) DRAIN_FACTOR * maxBodyBytes) {
                refused.accept(exchange, tooLarge);
                return;
            }
            // Read the body and drop it before answering: a client still sending when the answer
            // comes and the connection closes can see the reset first and never read the 413.
            exchange.getRequestReceiver()
                    .receivePartialBytes(
                            (ex, ignored, last) -> {
                                if (last) {
                                    refused.accept(ex, tooLarge);
                                }
                            },
                            (ex, error) -> IoUtils.safeClose(ex.getConnection()));
            return;
        }
        if (!pending.tryAcquire()) {
            refused.accept(
                    exchange,
                    new ApiException(
                            503,
                            "the server is receiving "
                                    + maxPending
                                    + " request bodies already (--http.max-pending-bodies); retry"
                                    + " in a moment"));
            return;
        }
        Receiver receiver = exchange.getRequestReceiver();
        receiver.setMaxBufferSize(maxBodyBytes);
        receiver.receiveFullBytes(
                (ex, body) -> {
                    pending.release();
                    complete.accept(ex, body);
                },
                (ex, error) -> {
                    pending.release();
                    failed(ex, error, refused);
                });
    }

    private void failed(
            HttpServerExchange exchange,
            IOException error,
            BiConsumer<HttpServerExchange, ApiException> refused) {
        if (error instanceof Receiver.RequestToLargeException) {
            // A chunked body that outgrew the limit: no Content-Length said so in advance.
            refused.accept(
                    exchange,
                    new ApiException(
                            413, "request body exceeds the limit of " + maxBodyBytes + " bytes"));
            return;
        }
        // The client went away or stalled past the read timeout: nobody is left to answer.
        LOG.debug(
                "Request body of {} {} not received: {}",
                exchange.getRequestMethod(),
                exchange.getRequestPath(),
                error.toString());
        IoUtils.safeClose(exchange.getConnection());
    }
}
