package org.dtlab.query.api;

import org.dtlab.query.stream.EventFilter;

/**
 * What a route answers: a {@link Reply}, or an event stream that the HTTP layer opens and keeps
 * writing to (the only answer that does not end).
 */
public sealed interface Answer permits Reply, Answer.Stream {

    /** An event stream of what {@code filter} lets through. */
    record Stream(EventFilter filter) implements Answer {}
}
