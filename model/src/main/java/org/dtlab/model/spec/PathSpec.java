package org.dtlab.model.spec;

import org.dtlab.model.ValidationException;

/**
 * One level of the twin path an ingest extractor builds: type {@code name} and an instance id that
 * is {@code path} itself, or a JSONPath query when {@code path} starts with {@code $}.
 */
public record PathSpec(String name, String path, String valueType) {

    public PathSpec {
        if (name == null || name.isBlank()) {
            throw new ValidationException("path spec name is required");
        }
        if (path == null || path.isBlank()) {
            throw new ValidationException("path spec path is required");
        }
    }
}
