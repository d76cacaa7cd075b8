package org.dtlab.query.stream;

/**
 * One open stream, as the hub sees it: its filter, and a non-blocking send. A subscriber whose
 * client reads too slowly drops itself (its connection closes) rather than making anyone wait.
 */
public interface Subscriber {

    EventFilter filter();

    /** Queues an event for the client; never blocks. */
    void send(StreamedEvent event);

    /**
     * Queues a retained event the client missed, when it (re)subscribes: a burst of at most the
     * retention, which does not count against the slow-client limit.
     */
    void replay(StreamedEvent event);

    /**
     * Tells the client that events it asked for are no longer retained (SSE event {@code Reset}).
     */
    void reset(String lastEventId, long resumedAfter);
}
