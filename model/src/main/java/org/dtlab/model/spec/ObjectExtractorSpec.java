package org.dtlab.model.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dtlab.model.Names;
import org.dtlab.model.ValidationException;

import java.time.Instant;

/**
 * An ingest object extractor: {@code path} (JSONPath) selects the objects of a document, each of
 * which goes through the telemetry extractor {@code telSpecId}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectExtractorSpec(String specId, String path, String telSpecId, Instant created) {

    public ObjectExtractorSpec {
        Names.check("spec id", specId);
        if (path == null || path.isBlank()) {
            throw new ValidationException("object extractor path is required");
        }
        Names.check("telSpecId", telSpecId);
    }
}
