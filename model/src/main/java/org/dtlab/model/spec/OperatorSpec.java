package org.dtlab.model.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.dtlab.model.Names;
import org.dtlab.model.ValidationException;

import java.time.Instant;
import java.util.List;

/**
 * An operator: a computation triggered by telemetry on one of its {@code input} indexes that writes
 * derived values to its {@code output} indexes.
 *
 * <p>{@code implementation} names a built-in (matched case-insensitively, see {@code
 * org.dtlab.model.logic.Operators}); an unknown implementation is stored and does nothing, as in
 * the original. The optional fields configure the programmable operators (docs/operators.md):
 * {@code expr} (a CEL expression), {@code when} (a CEL condition that gates any operator), {@code
 * clear} (an alarm's clear condition), {@code for} (an ISO-8601 duration), {@code severity}, {@code
 * agg} and {@code size} (windows). This record only checks their shape; what each implementation
 * needs is checked when the operator is compiled against its type.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OperatorSpec(
        String name,
        String implementation,
        List<Double> params,
        List<Integer> input,
        List<Integer> output,
        Instant created,
        String expr,
        String when,
        String clear,
        @JsonProperty("for") String forDuration,
        String severity,
        String agg,
        String size) {

    /** Inputs or outputs one operator may list; more is a definition error, not a slow twin. */
    public static final int MAX_INDEXES = 256;

    public OperatorSpec {
        Names.check("operator name", name);
        if (implementation == null || implementation.isBlank()) {
            throw new ValidationException("operator " + name + ": implementation is required");
        }
        if (input == null) {
            throw new ValidationException("operator " + name + ": input is required");
        }
        if (output == null) {
            throw new ValidationException("operator " + name + ": output is required");
        }
        if (Lists.hasNull(input) || Lists.hasNull(output) || Lists.hasNull(params)) {
            throw new ValidationException(
                    "operator " + name + ": input, output and params must not hold null");
        }
        if (input.size() > MAX_INDEXES || output.size() > MAX_INDEXES) {
            throw new ValidationException(
                    "operator " + name + ": at most " + MAX_INDEXES + " input and output indexes");
        }
        params = params == null ? List.of() : List.copyOf(params);
        input = List.copyOf(input);
        output = List.copyOf(output);
    }

    /** An operator of the original DT Lab's shape (no programmable fields). */
    public OperatorSpec(
            String name,
            String implementation,
            List<Double> params,
            List<Integer> input,
            List<Integer> output,
            Instant created) {
        this(
                name,
                implementation,
                params,
                input,
                output,
                created,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** This operator with its creation time set, if it has none. */
    public OperatorSpec createdAt(Instant at) {
        return created != null
                ? this
                : new OperatorSpec(
                        name,
                        implementation,
                        params,
                        input,
                        output,
                        at,
                        expr,
                        when,
                        clear,
                        forDuration,
                        severity,
                        agg,
                        size);
    }
}
