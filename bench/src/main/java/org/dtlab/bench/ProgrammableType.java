package org.dtlab.bench;

import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.json.Json;
import org.dtlab.model.logic.CompiledType;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.spec.TwinType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "programmable" variant of a benchmark's twin type: the plain type's props and operators
 * unchanged, plus 5 {@code expr} operators and 2 {@code alarm} operators, each with a property of
 * its own for its output. The ingest and back-test benchmarks run the same workload once with each
 * type, so the ratio of their rates is what the expressions and alarms cost.
 */
final class ProgrammableType {

    /** One added operator and the property it writes. */
    record Added(String property, OperatorSpec operator) {}

    private ProgrammableType() {}

    /** An {@code expr} operator writing {@code property}, triggered by {@code input}. */
    static Added expr(String property, List<Integer> input, String expr) {
        return new Added(
                property,
                new OperatorSpec(
                        property,
                        "expr",
                        null,
                        input,
                        List.of(-1),
                        null,
                        expr,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
    }

    /**
     * An {@code alarm} operator writing {@code property} (1 while active), triggered by {@code
     * input}.
     */
    static Added alarm(
            String property,
            List<Integer> input,
            String when,
            String clear,
            String forDuration,
            String severity) {
        return new Added(
                property,
                new OperatorSpec(
                        property,
                        "alarm",
                        null,
                        input,
                        List.of(-1),
                        null,
                        null,
                        when,
                        clear,
                        forDuration,
                        severity,
                        null,
                        null));
    }

    /**
     * The plain type with {@code added} appended (props after its props, operators after its
     * operators; each added operator's output is its own new property), checked by compiling it as
     * the job does.
     *
     * @throws org.dtlab.model.ValidationException naming the operator and field of a bad definition
     */
    static TwinType extend(TwinType plain, List<Added> added) {
        List<String> props = new ArrayList<>(plain.props());
        List<OperatorSpec> operators = new ArrayList<>(plain.operators());
        for (Added a : added) {
            OperatorSpec o = a.operator();
            operators.add(
                    new OperatorSpec(
                            o.name(),
                            o.implementation(),
                            o.params(),
                            o.input(),
                            List.of(props.size()),
                            o.created(),
                            o.expr(),
                            o.when(),
                            o.clear(),
                            o.forDuration(),
                            o.severity(),
                            o.agg(),
                            o.size()));
            props.add(a.property());
        }
        TwinType type =
                new TwinType(plain.name(), props, plain.children(), operators, plain.created());
        CompiledType.of(type); // throws ValidationException with the operator, field and position
        return type;
    }

    /**
     * The control message (one JSON line) that defines {@code plain} extended with {@code added}.
     */
    static String extend(String plainControlMessage, List<Added> added) throws Exception {
        ControlMessage plain = Json.mapper().readValue(plainControlMessage, ControlMessage.class);
        TwinType type = extend(plain.type(), added);
        return Json.mapper()
                .writeValueAsString(
                        ControlMessage.createType(
                                plain.id() + "-programmable", plain.issued(), type));
    }

    /** What the result JSON says about the programmable type. */
    static Map<String, Object> describe(List<Added> added, int plainProps, int plainOperators) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("props", plainProps + added.size());
        d.put("operators", plainOperators + added.size());
        List<String> lines = new ArrayList<>();
        for (Added a : added) {
            OperatorSpec o = a.operator();
            lines.add(
                    o.implementation().equals("expr")
                            ? a.property() + " = " + o.expr()
                            : a.property()
                                    + ": alarm when "
                                    + o.when()
                                    + (o.clear() != null ? ", clear " + o.clear() : "")
                                    + (o.forDuration() != null ? ", for " + o.forDuration() : "")
                                    + ", "
                                    + o.severity());
        }
        d.put("added", lines);
        return d;
    }
}
