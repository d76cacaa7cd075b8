package org.dtlab.model.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dtlab.model.ValidationException;

import java.util.List;

/**
 * One element of a telemetry extractor spec: for every value found, one telemetry to every twin
 * path built from {@code paths}; the datetime is read from {@code datetimePath} in {@code
 * datetimeFmt} ({@code epoch_string}, {@code epoch_long} or a date pattern).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TelemetryExtractor(
        List<List<PathSpec>> paths,
        List<ValueSpec> values,
        String datetimePath,
        String datetimeFmt) {

    public TelemetryExtractor {
        if (paths == null || paths.isEmpty()) {
            throw new ValidationException("telemetry extractor paths are required");
        }
        if (values == null || values.isEmpty()) {
            throw new ValidationException("telemetry extractor values are required");
        }
        paths = paths.stream().map(List::copyOf).toList();
        values = List.copyOf(values);
    }
}
