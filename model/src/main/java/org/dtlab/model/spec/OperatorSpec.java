package org.dtlab.model.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dtlab.model.Names;
import org.dtlab.model.ValidationException;

import java.time.Instant;
import java.util.List;

/**
 * An operator: a computation triggered by telemetry on one of its {@code input} indexes that writes
 * derived values to its {@code output} indexes.
 *
 * <p>{@code implementation} names a built-in (matched case-insensitively, see {@code
 * BuiltinOperator}); an unknown implementation is stored and does nothing, as in the original.
 * {@code params} are accepted and kept for future operators; no built-in uses them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperatorSpec(
        String name,
        String implementation,
        List<Double> params,
        List<Integer> input,
        List<Integer> output,
        Instant created) {

    public OperatorSpec {
        Names.check("operator name", name);
        if (implementation == null || implementation.isBlank()) {
            throw new ValidationException("operator implementation is required");
        }
        if (input == null) {
            throw new ValidationException("operator input is required");
        }
        if (output == null) {
            throw new ValidationException("operator output is required");
        }
        params = params == null ? List.of() : List.copyOf(params);
        input = List.copyOf(input);
        output = List.copyOf(output);
    }

    /** This operator with its creation time set, if it has none. */
    public OperatorSpec createdAt(Instant at) {
        return created != null ? this : new OperatorSpec(name, implementation, params, input, output, at);
    }
}
