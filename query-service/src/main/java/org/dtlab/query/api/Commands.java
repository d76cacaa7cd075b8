package org.dtlab.query.api;

import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.query.kafka.ControlLog;
import org.dtlab.query.kafka.Publisher;
import org.dtlab.query.kafka.Publisher.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How the API changes anything: it writes to Kafka and answers once the write is durable. Control
 * messages are also read back through the {@link ControlLog}, so the answer (201 or 409) is the
 * outcome every component will see.
 */
public final class Commands {

    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

    private final Publisher publisher;
    private final ControlLog controlLog;
    private final Clock clock;
    private final long timeoutMs;

    public Commands(Publisher publisher, ControlLog controlLog, Clock clock, long timeoutMs) {
        this.publisher = publisher;
        this.controlLog = controlLog;
        this.clock = clock;
        this.timeoutMs = timeoutMs;
    }

    public Registry registry() {
        return controlLog.registry();
    }

    public Instant now() {
        return clock.instant();
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Writes a control message and waits until this service's registry has applied it.
     *
     * <p>A create that lost a race with another replica (it was absent when checked, but another
     * create of the same name came first) writes the winner again, so that the winner stays the
     * last record of its key when the topic is compacted (docs/decisions.md §9).
     */
    public Registry.Applied program(ControlMessage message) {
        CompletableFuture<Registry.Applied> outcome = controlLog.outcome(message.id());
        try {
            await(written(message), "Kafka did not confirm the write");
            Registry.Applied applied =
                    await(outcome, "the control topic did not confirm the write");
            if (message.action() == ControlMessage.Action.CREATE
                    && applied.outcome() == Registry.Outcome.EXISTS) {
                applied.registry()
                        .asCreate(message.kind(), message.name(), newId(), now())
                        .ifPresent(
                                winner ->
                                        publisher
                                                .control(winner)
                                                .whenComplete(
                                                        (m, e) -> {
                                                            if (e != null) {
                                                                LOG.warn(
                                                                        "Could not re-assert {}"
                                                                            + " after a lost race",
                                                                        winner.key(),
                                                                        e);
                                                            }
                                                        }));
            }
            return applied;
        } finally {
            controlLog.forget(message.id());
        }
    }

    private CompletableFuture<?> written(ControlMessage message) {
        try {
            return publisher.control(message);
        } catch (RecordTooLargeException e) {
            throw tooLarge(
                    message.kind().jsonName() + " " + message.name() + " as a control record", e);
        }
    }

    /**
     * Writes observation messages (in order) and waits until Kafka has them all; none if one is too
     * large.
     */
    public void observe(List<TwinMessage> messages) {
        List<? extends CompletableFuture<?>> sends;
        try {
            sends = publisher.observations(messages);
        } catch (RecordTooLargeException e) {
            throw tooLarge("a message to a twin", e);
        }
        await(
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)),
                "Kafka did not confirm the write");
    }

    private static ApiException tooLarge(String what, RecordTooLargeException e) {
        return new ApiException(
                413,
                what
                        + " would be "
                        + e.bytes()
                        + " bytes, over the limit of "
                        + e.limit()
                        + " bytes of a Kafka record that the twin job accepts"
                        + " (--kafka.max-record-bytes); nothing was written");
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(
                    503,
                    what
                            + " within "
                            + timeoutMs
                            + " ms; nothing is lost if it arrives later — retry to be sure");
        } catch (ExecutionException e) {
            throw new ApiException(503, what + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, what + ": interrupted");
        }
    }
}
