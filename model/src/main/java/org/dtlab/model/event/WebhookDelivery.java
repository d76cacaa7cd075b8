package org.dtlab.model.event;

/**
 * One event to POST to one webhook.
 *
 * @param eventId the event's id: the {@code Idempotency-Key} header, so receivers can drop repeats
 * @param webhook the webhook's name
 * @param url where to POST
 * @param payload the JSON body, in the original DT Lab's shape plus the event id: {@code
 *     {"id","created","eventType","source","event"}}
 */
public record WebhookDelivery(String eventId, String webhook, String url, String payload) {}
