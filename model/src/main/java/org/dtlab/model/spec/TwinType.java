package org.dtlab.model.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.dtlab.model.Names;
import org.dtlab.model.ValidationException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A twin type: an ordered list of named double properties ({@code idx} = position in {@code
 * props}), the child types an instance may have, and — beyond the original — operators that apply
 * to every instance of the type and roll-ups that compute properties from its children.
 *
 * <p>{@code children} is a set (duplicates are dropped, first occurrence kept) and may name types
 * that do not exist yet. Empty lists are omitted from JSON, as the original omitted absent ones.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TwinType(
        String name,
        List<String> props,
        List<String> children,
        List<OperatorSpec> operators,
        List<RollupSpec> rollups,
        Instant created) {

    /** The type name that {@code GET /actor/{T}/{i}/operator} reserves (DT Lab dispatch, §3.2). */
    public static final String RESERVED_NAME = "operator";

    public TwinType {
        Names.check("type name", name);
        noNulls(name, "props", props);
        noNulls(name, "children", children);
        noNulls(name, "operators", operators);
        noNulls(name, "rollups", rollups);
        props = props == null ? List.of() : List.copyOf(props);
        children = children == null ? List.of() : List.copyOf(new LinkedHashSet<>(children));
        operators = operators == null ? List.of() : List.copyOf(operators);
        rollups = rollups == null ? List.of() : List.copyOf(rollups);
        for (String prop : props) {
            if (prop == null || prop.isBlank()) {
                throw new ValidationException(
                        "type " + name + ": property names must not be empty");
            }
        }
        for (String child : children) {
            Names.check("child type name", child);
        }
        Set<String> operatorNames = new HashSet<>();
        for (OperatorSpec op : operators) {
            if (!operatorNames.add(op.name())) {
                throw new ValidationException(
                        "type " + name + ": duplicate operator name " + op.name());
            }
        }
    }

    private static void noNulls(String type, String field, List<?> values) {
        if (Lists.hasNull(values)) {
            throw new ValidationException("type " + type + ": '" + field + "' must not hold null");
        }
    }

    /** A type without roll-ups. */
    public TwinType(
            String name,
            List<String> props,
            List<String> children,
            List<OperatorSpec> operators,
            Instant created) {
        this(name, props, children, operators, List.of(), created);
    }

    /** The position of a property, or -1. The first occurrence wins, as in the original. */
    public int indexOf(String prop) {
        return props.indexOf(prop);
    }

    /**
     * The property a telemetry addresses, by index or by name, with the original's messages.
     *
     * @throws ValidationException {@code idx out of bounds}, or the original's "Can not validate"
     */
    public int propertyIndex(Integer idx, String propName) {
        if (idx == null) {
            int found = indexOf(propName);
            if (found < 0) {
                throw new ValidationException(
                        "Can not validate - please check that type definition '"
                                + name
                                + "' exists and supports property '"
                                + propName
                                + "'.");
            }
            return found;
        }
        if (idx < 0 || idx >= props.size()) {
            throw new ValidationException("idx out of bounds");
        }
        return idx;
    }

    /** The name of the property at {@code idx}, or {@code "unknown"} (the original's answer). */
    public String propName(int idx) {
        return idx >= 0 && idx < props.size() ? props.get(idx) : "unknown";
    }

    public boolean hasChild(String childType) {
        return children.contains(childType);
    }

    /** This type with the given name and creation time (the request body carries neither). */
    public TwinType named(String typeName, Instant at) {
        return new TwinType(
                typeName,
                props,
                children,
                stamp(operators, at),
                rollups,
                created != null ? created : at);
    }

    private static List<OperatorSpec> stamp(List<OperatorSpec> ops, Instant at) {
        List<OperatorSpec> stamped = new ArrayList<>(ops.size());
        for (OperatorSpec op : ops) {
            stamped.add(op.createdAt(at));
        }
        return stamped;
    }
}
