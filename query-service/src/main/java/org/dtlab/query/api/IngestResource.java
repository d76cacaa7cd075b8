package org.dtlab.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.dtlab.model.ValidationException;
import org.dtlab.model.control.Registry;
import org.dtlab.model.spec.ObjectExtractorSpec;
import org.dtlab.model.spec.TelemetryExtractorSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.model.telemetry.TwinPath;
import org.dtlab.query.ingest.Extraction;
import org.dtlab.query.ingest.Extraction.Extracted;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /ingest/telemetry/{spec}} and {@code /ingest/array/{objectSpec}}: raw JSON in, telemetry
 * to twins out, by the stored extractor specs. Everything extracted is validated before anything is
 * written, so a document is taken whole or not at all; twins get their telemetry in document order.
 */
public final class IngestResource {

    private final Commands commands;

    public IngestResource(Commands commands) {
        this.commands = commands;
    }

    /** {@code /ingest/telemetry/{specId}}. */
    public Reply telemetry(Request request) {
        return ingest(request, true);
    }

    /** {@code /ingest/array/{specId}}. */
    public Reply array(Request request) {
        return ingest(request, false);
    }

    private Reply ingest(Request request, boolean telemetry) {
        String id = SpecResources.specId(request);
        Registry registry = commands.registry();
        JsonNode document = request.bodyTree();
        Instant now = commands.now();
        List<Extracted> extracted = new ArrayList<>();
        if (telemetry) {
            extracted.addAll(
                    Extraction.extract(telemetrySpec(registry, id), document, document, now));
        } else {
            ObjectExtractorSpec objects =
                    registry.objectExtractor(id)
                            .orElseThrow(
                                    () ->
                                            new ApiException(
                                                    404,
                                                    "object extractor spec " + id + " not found"));
            TelemetryExtractorSpec spec = telemetrySpec(registry, objects.telSpecId());
            List<JsonNode> nodes = Extraction.select(document, objects.path());
            if (nodes.isEmpty()) {
                throw new ApiException(400, "the object path " + objects.path() + " found nothing");
            }
            for (JsonNode node : nodes) {
                extracted.addAll(Extraction.extract(spec, node, document, now));
            }
        }
        if (extracted.isEmpty()) {
            throw new ApiException(400, "nothing extracted");
        }
        List<TwinMessage> messages = new ArrayList<>(extracted.size());
        List<Object[]> pairs = new ArrayList<>(extracted.size());
        for (Extracted e : extracted) {
            TwinPath path;
            TwinType type;
            try {
                path = TwinPath.parse(e.path());
                type = registry.resolve(path);
            } catch (ValidationException ex) {
                throw new ApiException(400, "/" + e.path() + ": " + ex.getMessage());
            }
            if (e.telemetry().idx() >= type.props().size()) {
                throw new ApiException(400, "/" + e.path() + ": idx out of bounds");
            }
            messages.add(
                    TwinMessage.telemetry(
                                    path.toString(),
                                    e.telemetry().idx(),
                                    e.telemetry().value(),
                                    e.telemetry().datetime())
                            .validatedAt(registry.version()));
            pairs.add(new Object[] {path.source(), e.telemetry()});
        }
        commands.observe(messages);
        return Reply.json(202, pairs);
    }

    private static TelemetryExtractorSpec telemetrySpec(Registry registry, String id) {
        return registry.telemetryExtractor(id)
                .orElseThrow(
                        () ->
                                new ApiException(
                                        404, "telemetry extractor spec " + id + " not found"));
    }
}
