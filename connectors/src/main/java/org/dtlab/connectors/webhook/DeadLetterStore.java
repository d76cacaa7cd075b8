package org.dtlab.connectors.webhook;

import java.io.Serializable;

/** Where the webhook sink keeps the deliveries that failed for good. */
public interface DeadLetterStore extends Serializable {

    /** Opens a writer in the sink's task; called once per writer. */
    Writer open();

    /** Stores dead letters; may block, so the sink calls it off its request threads. */
    interface Writer extends AutoCloseable {
        void write(DeadLetter letter) throws Exception;

        @Override
        void close();
    }
}
