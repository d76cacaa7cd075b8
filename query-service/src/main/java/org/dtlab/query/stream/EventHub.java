package org.dtlab.query.stream;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fans the events the poller reads out to every open stream, and keeps the newest {@code retention}
 * of them so that a client that reconnects with {@code Last-Event-ID} resumes without loss or
 * duplicates. Publishing and subscribing take one lock, so a new subscriber gets the retained
 * events it missed and then every later one, never one twice. Sending only queues (the connection
 * writes from its IO thread), so one slow client costs the others nothing.
 */
public final class EventHub {

    private final int retention;
    private final Deque<StreamedEvent> retained = new ArrayDeque<>();

    /** Each open stream, with the number it resumed after: it gets no event at or below it. */
    private final Map<Subscriber, Long> subscribers = new ConcurrentHashMap<>();

    /** Every event numbered above this that was published is retained. */
    private long retainedAfter;

    /** The newest number published (or where the poller started). */
    private long newest;

    /** Whether the poller has read up to the table's end once since the start. */
    private boolean caughtUp;

    public EventHub(int retention) {
        this.retention = retention;
    }

    /** Where the stream begins: events up to {@code number} are before this service's time. */
    synchronized void startAfter(long number) {
        retainedAfter = number;
        newest = number;
    }

    synchronized void publish(List<StreamedEvent> events) {
        for (StreamedEvent event : events) {
            retained.addLast(event);
            if (retained.size() > retention) {
                retainedAfter = retained.removeFirst().number();
            }
            newest = event.number();
            for (Map.Entry<Subscriber, Long> s : subscribers.entrySet()) {
                if (event.number() > s.getValue() && s.getKey().filter().matches(event)) {
                    s.getKey().send(event);
                }
            }
        }
    }

    /**
     * Opens a stream: the retained events after {@code lastEventId} (the client's SSE {@code
     * Last-Event-ID}, {@code null} for a new stream) first, then every new one. If events after it
     * are no longer retained — or the id is not one this database gave — the client is told with a
     * {@code Reset} first, then gets what is retained.
     */
    public synchronized void subscribe(Subscriber subscriber, String lastEventId) {
        long after = newest;
        if (lastEventId != null) {
            after = parse(lastEventId);
            // An id above the newest is not ours (another database?) — unless the poller is still
            // reading what was there before this service started.
            if (after < retainedAfter || (after > newest && caughtUp)) {
                subscriber.reset(lastEventId, retainedAfter);
                after = retainedAfter;
            }
            for (StreamedEvent event : retained) {
                if (event.number() > after && subscriber.filter().matches(event)) {
                    subscriber.replay(event);
                }
            }
        }
        subscribers.put(subscriber, after);
    }

    /** Called by the poller once it has read to the end of the table. */
    synchronized void caughtUp() {
        caughtUp = true;
    }

    /** The number of the newest event published. */
    public synchronized long newest() {
        return newest;
    }

    public void unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    private static long parse(String lastEventId) {
        try {
            return Long.parseLong(lastEventId.strip());
        } catch (NumberFormatException e) {
            return -1; // not an id of ours: treated as lost, so the client hears so
        }
    }
}
