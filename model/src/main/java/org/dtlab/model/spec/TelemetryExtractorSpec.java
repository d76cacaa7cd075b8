package org.dtlab.model.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dtlab.model.Names;
import org.dtlab.model.ValidationException;

import java.time.Instant;
import java.util.List;

/** An ingest telemetry extractor spec: the extractors that turn one JSON object into telemetry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TelemetryExtractorSpec(
        String specId, List<TelemetryExtractor> extractors, Instant created) {

    public TelemetryExtractorSpec {
        Names.check("spec id", specId);
        if (extractors == null || extractors.isEmpty()) {
            throw new ValidationException("telemetry extractor spec needs at least one extractor");
        }
        extractors = List.copyOf(extractors);
    }
}
