package org.dtlab.connectors.webhook;

import java.io.Serializable;

/**
 * One delivery as the sink buffers it (and checkpoints it): the POST to make and how many attempts
 * it has had.
 */
public record WebhookRequest(
        String eventId, String webhook, String url, String payload, int attempts)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** This request after one more attempt. */
    WebhookRequest attempted() {
        return new WebhookRequest(eventId, webhook, url, payload, attempts + 1);
    }
}
