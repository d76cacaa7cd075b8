package org.dtlab.model.control;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import org.dtlab.model.Names;
import org.dtlab.model.ValidationException;
import org.dtlab.model.json.Json;
import org.dtlab.model.spec.ObjectExtractorSpec;
import org.dtlab.model.spec.TelemetryExtractorSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.spec.WebhookSpec;

import java.io.IOException;
import java.time.Instant;

/**
 * A record of the control topic {@code dtlab.control}: one programming action. The Kafka key is
 * {@link #key()} ({@code <kind>/<name>}). The job and the query service apply these records in
 * topic order with {@link Registry#apply}, so they agree on what is defined.
 *
 * <pre>
 * {"v":1,"id":"6f1c…","action":"create","kind":"type","name":"machinery","issued":"2026-11-28T10:00:00.000Z",
 *  "type":{"name":"machinery","props":["height","count"],"operators":[…]}}
 * {"v":1,"id":"7a2d…","action":"delete","kind":"type","name":"machinery","issued":"…"}
 * </pre>
 *
 * @param v the format version, {@value #FORMAT_VERSION}; newer formats are rejected, not guessed at
 * @param id a unique id chosen by the writer (the query service waits for it to read its writes)
 * @param issued when the action was requested; a spec without {@code created} gets this time
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlMessage(
        int v,
        String id,
        Action action,
        Kind kind,
        String name,
        Instant issued,
        TwinType type,
        WebhookSpec webhook,
        ObjectExtractorSpec objectExtractor,
        TelemetryExtractorSpec telemetryExtractor) {

    public static final int FORMAT_VERSION = 1;

    private static final ObjectReader READER =
            Json.mapper()
                    .readerFor(ControlMessage.class)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** What kind of spec a message is about. */
    public enum Kind {
        @JsonProperty("type")
        TYPE("type"),
        @JsonProperty("webhook")
        WEBHOOK("webhook"),
        @JsonProperty("extractor.object")
        OBJECT_EXTRACTOR("extractor.object"),
        @JsonProperty("extractor.telemetry")
        TELEMETRY_EXTRACTOR("extractor.telemetry");

        private final String jsonName;

        Kind(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    /** What to do with the spec. */
    public enum Action {
        @JsonProperty("create")
        CREATE,
        @JsonProperty("delete")
        DELETE
    }

    public ControlMessage {
        if (v < 1 || v > FORMAT_VERSION) {
            throw new ValidationException(
                    "unsupported control message format v=" + v + " (this version reads v=1)");
        }
        if (id == null || id.isBlank()) {
            throw new ValidationException("control message id is required");
        }
        if (action == null || kind == null) {
            throw new ValidationException("control message action and kind are required");
        }
        Names.check(kind.jsonName() + " name", name);
        if (issued == null) {
            throw new ValidationException("control message issued is required");
        }
        if (action == Action.CREATE) {
            String payloadName =
                    payloadName(kind, type, webhook, objectExtractor, telemetryExtractor);
            if (payloadName == null) {
                throw new ValidationException(
                        "a create of a "
                                + kind.jsonName()
                                + " needs its "
                                + kind.jsonName()
                                + " body");
            }
            if (!payloadName.equals(name)) {
                throw new ValidationException(
                        "name '" + name + "' differs from the body's '" + payloadName + "'");
            }
        }
    }

    /**
     * Reads one control record: a JSON object and nothing after it. Everything that reads the
     * control topic reads it this way, so they refuse the same records.
     *
     * @throws IOException if it is not JSON, or not a control message's
     * @throws ValidationException if the message is invalid, or JSON {@code null}
     */
    public static ControlMessage read(String json) throws IOException {
        ControlMessage message = READER.readValue(json);
        if (message == null) {
            // Jackson reads the text "null" as no message at all; Registry.apply would throw.
            throw new ValidationException("a control record must be a JSON object, not null");
        }
        return message;
    }

    /** The Kafka key: specs of one kind and name share a key (and a partition). */
    @JsonIgnore
    public String key() {
        return kind.jsonName() + "/" + name;
    }

    public static ControlMessage createType(String id, Instant issued, TwinType type) {
        return new ControlMessage(
                FORMAT_VERSION,
                id,
                Action.CREATE,
                Kind.TYPE,
                type.name(),
                issued,
                type,
                null,
                null,
                null);
    }

    public static ControlMessage createWebhook(String id, Instant issued, WebhookSpec webhook) {
        return new ControlMessage(
                FORMAT_VERSION,
                id,
                Action.CREATE,
                Kind.WEBHOOK,
                webhook.name(),
                issued,
                null,
                webhook,
                null,
                null);
    }

    public static ControlMessage createObjectExtractor(
            String id, Instant issued, ObjectExtractorSpec spec) {
        return new ControlMessage(
                FORMAT_VERSION,
                id,
                Action.CREATE,
                Kind.OBJECT_EXTRACTOR,
                spec.specId(),
                issued,
                null,
                null,
                spec,
                null);
    }

    public static ControlMessage createTelemetryExtractor(
            String id, Instant issued, TelemetryExtractorSpec spec) {
        return new ControlMessage(
                FORMAT_VERSION,
                id,
                Action.CREATE,
                Kind.TELEMETRY_EXTRACTOR,
                spec.specId(),
                issued,
                null,
                null,
                null,
                spec);
    }

    public static ControlMessage delete(String id, Instant issued, Kind kind, String name) {
        return new ControlMessage(
                FORMAT_VERSION, id, Action.DELETE, kind, name, issued, null, null, null, null);
    }

    private static String payloadName(
            Kind kind,
            TwinType type,
            WebhookSpec webhook,
            ObjectExtractorSpec objectExtractor,
            TelemetryExtractorSpec telemetryExtractor) {
        return switch (kind) {
            case TYPE -> type == null ? null : type.name();
            case WEBHOOK -> webhook == null ? null : webhook.name();
            case OBJECT_EXTRACTOR -> objectExtractor == null ? null : objectExtractor.specId();
            case TELEMETRY_EXTRACTOR ->
                    telemetryExtractor == null ? null : telemetryExtractor.specId();
        };
    }
}
