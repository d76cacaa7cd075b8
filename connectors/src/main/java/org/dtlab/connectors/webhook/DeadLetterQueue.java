package org.dtlab.connectors.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Writes dead letters to the store on a thread of its own (the store may block; request threads
 * must not). Bounded: while {@code capacity} letters wait, a further one is logged at ERROR with
 * its payload instead — never dropped without a trace, never growing without limit. Letters not yet
 * written are part of the sink's checkpoint ({@link #pending}), so a failure does not lose them.
 */
final class DeadLetterQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueue.class);

    private final DeadLetterStore.Writer store;
    private final int capacity;
    private final Deque<DeadLetter> waiting = new ArrayDeque<>();
    private final Thread thread;
    private DeadLetter writing;
    private boolean closed;

    DeadLetterQueue(DeadLetterStore.Writer store, int capacity) {
        this.store = store;
        this.capacity = capacity;
        this.thread = new Thread(this::run, "dtlab-webhook-dead-letters");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void add(DeadLetter letter) {
        if (waiting.size() >= capacity) {
            LOG.error(
                    "{} dead letters wait to be written; event {} for webhook {} is only logged:"
                            + " {}",
                    capacity,
                    letter.eventId(),
                    letter.webhook(),
                    letter.payload());
            return;
        }
        waiting.add(letter);
        notifyAll();
    }

    /** The letters not yet in the store, the one being written included. */
    synchronized List<DeadLetter> pending() {
        List<DeadLetter> pending = new ArrayList<>(waiting.size() + 1);
        if (writing != null) {
            pending.add(writing);
        }
        pending.addAll(waiting);
        return pending;
    }

    synchronized boolean isEmpty() {
        return writing == null && waiting.isEmpty();
    }

    /** Waits until every letter added so far is written (or failed and logged). */
    synchronized void awaitEmpty() throws InterruptedException {
        while (!isEmpty()) {
            wait();
        }
    }

    private void run() {
        while (true) {
            DeadLetter letter;
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
                letter = waiting.poll();
                writing = letter;
            }
            try {
                store.write(letter);
            } catch (Exception e) {
                LOG.error(
                        "Could not store the dead letter of event {} for webhook {}: {}",
                        letter.eventId(),
                        letter.webhook(),
                        letter.payload(),
                        e);
            }
            synchronized (this) {
                writing = null;
                notifyAll();
            }
        }
    }

    /** Writes what is waiting (up to 10 s), then closes the store. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(10_000);
            if (thread.isAlive()) {
                LOG.warn("Dead letters still being written at close: {}", pending().size());
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
