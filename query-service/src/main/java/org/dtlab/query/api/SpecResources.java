package org.dtlab.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.dtlab.model.Names;
import org.dtlab.model.ValidationException;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.ControlMessage.Kind;
import org.dtlab.model.control.Registry;
import org.dtlab.model.json.Json;
import org.dtlab.model.spec.ObjectExtractorSpec;
import org.dtlab.model.spec.TelemetryExtractor;
import org.dtlab.model.spec.TelemetryExtractorSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.spec.WebhookSpec;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Types ({@code /type}), webhooks ({@code /webhook}) and ingest extractor specs ({@code
 * /extractor/object}, {@code /extractor/telemetry}): create-only specs, written to the control
 * topic. 201 or 409 on create, 202 or 404 on delete, as the original.
 */
public final class SpecResources {

    private final Commands commands;

    public SpecResources(Commands commands) {
        this.commands = commands;
    }

    public Reply listTypes(Request request) {
        return Reply.json(
                200,
                commands.registry().types().stream()
                        .sorted(Comparator.comparing(TwinType::name))
                        .toList());
    }

    public void checkTypeName(Request request) {
        typeName(request);
    }

    public Reply type(Request request) {
        String name = typeName(request);
        return found(commands.registry().type(name), "type " + name);
    }

    public Reply createType(Request request) {
        String name = typeName(request);
        return create(
                Kind.TYPE,
                name,
                () -> {
                    ObjectNode body = objectBody(request);
                    body.put("name", name);
                    TwinType type = Json.mapper().treeToValue(body, TwinType.class);
                    // The job's own check: props, expressions, durations, indexes, roll-ups
                    // against their child types.
                    commands.registry().check(type);
                    return ControlMessage.createType(Commands.newId(), commands.now(), type);
                });
    }

    public Reply deleteType(Request request) {
        return delete(Kind.TYPE, typeName(request));
    }

    public Reply listWebhooks(Request request) {
        return Reply.json(
                200,
                commands.registry().webhooks().stream()
                        .sorted(Comparator.comparing(WebhookSpec::name))
                        .toList());
    }

    public void checkWebhookName(Request request) {
        webhookName(request);
    }

    public Reply webhook(Request request) {
        String name = webhookName(request);
        return found(commands.registry().webhook(name), "webhook " + name);
    }

    public Reply createWebhook(Request request) {
        String name = webhookName(request);
        return create(
                Kind.WEBHOOK,
                name,
                () -> {
                    ObjectNode body = objectBody(request);
                    body.put("name", name);
                    WebhookSpec hook = Json.mapper().treeToValue(body, WebhookSpec.class);
                    return ControlMessage.createWebhook(Commands.newId(), commands.now(), hook);
                });
    }

    public Reply deleteWebhook(Request request) {
        return delete(Kind.WEBHOOK, webhookName(request));
    }

    /** For {@code /extractor/object/{specId}} and {@code /extractor/telemetry/{specId}}. */
    public void checkSpecId(Request request) {
        specId(request);
    }

    /** {@code /extractor/object/{specId}} and {@code /extractor/telemetry/{specId}}. */
    public Reply extractor(Request request) {
        String id = specId(request);
        return isObjectExtractor(request)
                ? found(commands.registry().objectExtractor(id), "object extractor spec " + id)
                : found(
                        commands.registry()
                                .telemetryExtractor(id)
                                .map(TelemetryExtractorSpec::extractors),
                        "telemetry extractor spec " + id);
    }

    public Reply createExtractor(Request request) {
        String id = specId(request);
        boolean object = isObjectExtractor(request);
        return create(
                object ? Kind.OBJECT_EXTRACTOR : Kind.TELEMETRY_EXTRACTOR,
                id,
                () -> {
                    if (object) {
                        ObjectNode body = objectBody(request);
                        body.put("specId", id);
                        return ControlMessage.createObjectExtractor(
                                Commands.newId(),
                                commands.now(),
                                Json.mapper().treeToValue(body, ObjectExtractorSpec.class));
                    }
                    JsonNode body = request.bodyTree();
                    if (!body.isArray()) {
                        throw new ApiException(
                                400,
                                "The request content was malformed: a JSON array of extractors is"
                                        + " required");
                    }
                    List<TelemetryExtractor> extractors =
                            Arrays.asList(
                                    Json.mapper().treeToValue(body, TelemetryExtractor[].class));
                    return ControlMessage.createTelemetryExtractor(
                            Commands.newId(),
                            commands.now(),
                            new TelemetryExtractorSpec(id, extractors, null));
                });
    }

    public Reply deleteExtractor(Request request) {
        return delete(
                isObjectExtractor(request) ? Kind.OBJECT_EXTRACTOR : Kind.TELEMETRY_EXTRACTOR,
                specId(request));
    }

    private static String typeName(Request request) {
        return name(request.param("name"), "type name");
    }

    private static String webhookName(Request request) {
        return name(request.param("name"), "webhook name");
    }

    static String specId(Request request) {
        return name(request.param("specId"), "spec id");
    }

    /** Which of the two extractor routes: the segment after {@code /extractor}. */
    private static boolean isObjectExtractor(Request request) {
        return request.segments().get(1).equals("object");
    }

    /** Reads the body of a create, validated by the spec's own constructor. */
    private interface MessageFactory {
        ControlMessage create() throws Exception;
    }

    private Reply create(Kind kind, String name, MessageFactory factory) {
        Registry before = commands.registry();
        if (before.asCreate(kind, name, "check", commands.now()).isPresent()) {
            return Reply.text(409, kind.jsonName() + " " + name + " exists");
        }
        ControlMessage message;
        try {
            message = factory.create();
        } catch (ApiException e) {
            throw e;
        } catch (Exception e) {
            throw Request.malformed(e);
        }
        Registry.Applied applied = commands.program(message);
        return switch (applied.outcome()) {
            case APPLIED -> Reply.json(201, created(applied.registry(), kind, name));
            case EXISTS -> Reply.text(409, applied.reason());
            case INVALID -> Reply.text(400, applied.reason());
            case NOT_FOUND -> throw new IllegalStateException("a create cannot be not found");
        };
    }

    private Reply delete(Kind kind, String name) {
        Reply notFound = Reply.text(404, kind.jsonName() + " " + name + " not found");
        if (commands.registry().asCreate(kind, name, "check", commands.now()).isEmpty()) {
            return notFound;
        }
        Registry.Applied applied =
                commands.program(
                        ControlMessage.delete(Commands.newId(), commands.now(), kind, name));
        return applied.isApplied() ? Reply.status(202) : notFound;
    }

    private static Object created(Registry registry, Kind kind, String name) {
        return switch (kind) {
            case TYPE -> registry.type(name).orElseThrow();
            case WEBHOOK -> registry.webhook(name).orElseThrow();
            case OBJECT_EXTRACTOR -> registry.objectExtractor(name).orElseThrow();
            case TELEMETRY_EXTRACTOR ->
                    registry.telemetryExtractor(name).orElseThrow().extractors();
        };
    }

    private static ObjectNode objectBody(Request request) {
        JsonNode body = request.bodyTree();
        if (!body.isObject()) {
            throw new ApiException(
                    400, "The request content was malformed: a JSON object is required");
        }
        return (ObjectNode) body;
    }

    private static Reply found(Optional<?> value, String what) {
        return value.<Reply>map(v -> Reply.json(200, v))
                .orElseGet(() -> Reply.text(404, what + " not found"));
    }

    /** A name from the path, checked as every name is; a bad one is a 400 that says why. */
    static String name(String name, String what) {
        try {
            return Names.check(what, name);
        } catch (ValidationException e) {
            throw new ApiException(400, e.getMessage());
        }
    }
}
