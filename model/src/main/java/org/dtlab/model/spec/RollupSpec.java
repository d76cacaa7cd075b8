package org.dtlab.model.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dtlab.model.Names;
import org.dtlab.model.ValidationException;

import java.util.List;

/**
 * A roll-up of a parent type: one of its properties computed from its direct children of one type —
 * the aggregate {@code agg} of each child's latest value of {@code property} — and written to the
 * parent's property {@code output[0]} as a telemetry of the parent.
 *
 * <pre>
 * {"name":"avg_temp","child":"room","property":"temp","agg":"avg","output":[0]}
 * {"name":"rooms_hot","child":"room","property":"temp","agg":"count_where","where":"temp > 26","output":[1]}
 * </pre>
 *
 * <p>This record only checks the shape; the rest is checked when the type is compiled ({@code
 * org.dtlab.model.logic.Rollup}) and, against the child type, when both are defined.
 *
 * @param where for {@code count_where}: a CEL condition over the child's properties
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RollupSpec(
        String name,
        String child,
        String property,
        String agg,
        String where,
        List<Integer> output) {

    public RollupSpec {
        Names.check("roll-up name", name);
        if (Lists.hasNull(output)) {
            throw new ValidationException("roll-up " + name + ": 'output' must not hold null");
        }
        output = output == null ? List.of() : List.copyOf(output);
    }
}
