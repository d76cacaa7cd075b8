package org.dtlab.model.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dtlab.model.ValidationException;

/**
 * One value an ingest extractor reads: {@code path} (JSONPath or a literal) read as {@code
 * valueType}. Users send the named form ({@code name} + {@code typeId}); the stored form carries
 * the resolved {@code idx} as well.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValueSpec(
        String name,
        String typeId,
        Integer idx,
        String path,
        String valueType,
        Boolean extractZeros) {

    public ValueSpec {
        if (path == null || path.isBlank()) {
            throw new ValidationException("value spec path is required");
        }
        if (idx == null && (name == null || typeId == null)) {
            throw new ValidationException("value spec needs name and typeId (or idx)");
        }
    }

    /** This value spec with its property index resolved. */
    public ValueSpec withIdx(int resolved) {
        return new ValueSpec(name, typeId, resolved, path, valueType, extractZeros);
    }

    public boolean keepsZeros() {
        return Boolean.TRUE.equals(extractZeros);
    }
}
