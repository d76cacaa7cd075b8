package org.dtlab.query.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import org.dtlab.model.json.Json;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the API sees it: the path segments after the prefix, the first value of each
 * query parameter, the body (already size-checked and of JSON content type when present), and the
 * parameters of the route it matched ({@link Params#NONE} until it is matched).
 */
public record Request(
        String method,
        List<String> segments,
        Map<String, String> query,
        byte[] body,
        Params params) {

    /** The shared mapper, but a body is one JSON value: {@code {…}{…}} must not drop the second. */
    private static final ObjectReader BODY =
            Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A request not matched to a route yet. */
    public Request(String method, List<String> segments, Map<String, String> query, byte[] body) {
        this(method, segments, query, body, Params.NONE);
    }

    /** This request as matched to a route, with the route's parameters. */
    public Request withParams(Params matched) {
        return new Request(method, segments, query, body, matched);
    }

    /** The value of the route parameter {@code {name}}. */
    public String param(String name) {
        return params.get(name);
    }

    public String query(String name) {
        return query.get(name);
    }

    /** The body as {@code type}; a malformed body is a 400 that says what is wrong. */
    public <T> T body(Class<T> type) {
        try {
            T value = BODY.forType(type).readValue(body);
            if (value == null) {
                throw new ApiException(
                        400, "The request content was malformed: a JSON object is required");
            }
            return value;
        } catch (IOException e) {
            throw malformed(e);
        }
    }

    public JsonNode bodyTree() {
        try {
            JsonNode tree = BODY.readTree(body);
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
        return JsonErrors.badRequest(e);
    }
}
