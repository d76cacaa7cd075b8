package org.dtlab.query.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.dtlab.model.json.Json;

import java.nio.charset.StandardCharsets;

/** An HTTP answer, independent of the server framework. */
public record Reply(int status, String contentType, byte[] body) implements Answer {

    public static final String JSON = "application/json";
    public static final String TEXT = "text/plain; charset=UTF-8";

    public static Reply json(int status, Object value) {
        try {
            return new Reply(status, JSON, Json.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a reply", e);
        }
    }

    public static Reply text(int status, String text) {
        return new Reply(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A reply with only a status, and the standard reason as text (as the original's framework
     * sent).
     */
    public static Reply status(int status) {
        return text(
                status,
                switch (status) {
                    case 202 ->
                            "The request has been accepted for processing, but the processing has"
                                    + " not been completed.";
                    case 404 -> "The requested resource could not be found.";
                    case 501 ->
                            "The server does not support the functionality required to fulfill the"
                                    + " request.";
                    default -> "";
                });
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
