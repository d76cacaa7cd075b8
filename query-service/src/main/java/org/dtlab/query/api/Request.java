package org.dtlab.query.api;

import org.dtlab.model.ValidationException;
import org.dtlab.model.json.Json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the API sees it: the path segments after the prefix, the first value of each
 * query parameter, and the body (already size-checked and of JSON content type when present).
 */
public record Request(String method, List<String> segments, Map<String, String> query, byte[] body) {

    public String query(String name) {
        return query.get(name);
    }

    /** The body as {@code type}; a malformed body is a 400 that says what is wrong. */
    public <T> T body(Class<T> type) {
        try {
            T value = Json.mapper().readValue(body, type);
            if (value == null) {
                throw new ApiException(400, "The request content was malformed: a JSON object is required");
            }
            return value;
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    public JsonNode bodyTree() {
        try {
            JsonNode tree = Json.mapper().readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw new ApiException(400, "The request content was malformed: the body is empty");
            }
            return tree;
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    /** Turns a JSON or validation failure into a 400 with its most useful message. */
    static ApiException malformed(Exception e) {
        return ValidationException.in(e)
                .map(invalid -> new ApiException(400, invalid.getMessage()))
                .orElseGet(() -> new ApiException(400, "The request content was malformed: "
                        + (e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage())));
    }
}
