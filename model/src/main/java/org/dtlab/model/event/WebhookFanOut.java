package org.dtlab.model.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.dtlab.model.json.Json;
import org.dtlab.model.spec.WebhookSpec;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The deliveries of one event: one per matching webhook, sharing one serialized payload. */
public final class WebhookFanOut {

    private WebhookFanOut() {}

    public static List<WebhookDelivery> deliveries(
            Collection<WebhookSpec> webhooks, TwinEvent event) {
        List<WebhookDelivery> deliveries = List.of();
        String payload = null;
        for (WebhookSpec hook : webhooks) {
            if (hook.matches(event)) {
                if (payload == null) {
                    payload = payload(event);
                    deliveries = new ArrayList<>(1);
                }
                deliveries.add(
                        new WebhookDelivery(event.id(), hook.name(), hook.target().url(), payload));
            }
        }
        return deliveries;
    }

    private static String payload(TwinEvent event) {
        try {
            return Json.mapper().writeValueAsString(WebhookPayload.of(event));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // records of numbers and strings always serialize
        }
    }
}
