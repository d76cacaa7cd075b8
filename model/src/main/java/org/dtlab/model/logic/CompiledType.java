package org.dtlab.model.logic;

import org.dtlab.model.ValidationException;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.spec.TwinType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A twin type with its operators compiled: what {@link TwinMachine} runs. Built once per type
 * definition (by the {@code Registry} when the definition is applied), shared by all its twins and
 * threads.
 *
 * <p>Twins with operators of their own get the effective list — the type's operators, then their
 * own, an own operator replacing the type's operator of the same name — compiled once per distinct
 * list and cached (most twins share a few lists, or none).
 */
public final class CompiledType {

    private static final int OWN_CACHE_SIZE = 1024;

    private final TwinType spec;
    private final List<Operator> operators;
    private final List<Rollup> rollups;
    private final Map<List<OperatorSpec>, List<Operator>> withOwn =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(
                        Map.Entry<List<OperatorSpec>, List<Operator>> eldest) {
                    return size() > OWN_CACHE_SIZE;
                }
            };

    private CompiledType(TwinType spec, List<Operator> operators, List<Rollup> rollups) {
        this.spec = spec;
        this.operators = operators;
        this.rollups = rollups;
    }

    /**
     * Compiles every operator and roll-up of the type (a roll-up's child side is compiled by the
     * {@code Registry}, which knows the child type).
     *
     * @throws ValidationException naming the operator or roll-up and field of the first bad
     *     definition
     */
    public static CompiledType of(TwinType type) {
        if (type.operators().size() > Operators.MAX_OPERATORS) {
            throw new ValidationException(
                    "type " + type.name() + ": at most " + Operators.MAX_OPERATORS + " operators");
        }
        List<Operator> compiled = new ArrayList<>(type.operators().size());
        for (OperatorSpec op : type.operators()) {
            compiled.add(Operators.compile(op, type));
        }
        return new CompiledType(type, List.copyOf(compiled), Rollup.compileAll(type));
    }

    public TwinType spec() {
        return spec;
    }

    /** The type's roll-ups, in definition order. */
    public List<Rollup> rollups() {
        return rollups;
    }

    /** The roll-up of that name, or {@code null}. */
    Rollup rollup(String name) {
        for (Rollup r : rollups) {
            if (r.spec().name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /**
     * Checks an operator a twin of this type is given ({@code POST /actor/…/operator}).
     *
     * @throws ValidationException naming the field that is wrong
     */
    public Operator compileOwn(OperatorSpec operator) {
        return Operators.compile(operator, spec);
    }

    /** The operators that act on a twin with {@code own} operators of its own. */
    public List<Operator> operators(List<OperatorSpec> own) {
        if (own.isEmpty()) {
            return operators;
        }
        synchronized (withOwn) {
            return withOwn.computeIfAbsent(own, this::effective);
        }
    }

    private List<Operator> effective(List<OperatorSpec> own) {
        List<Operator> all = new ArrayList<>(operators.size() + own.size());
        for (Operator typeOp : operators) {
            if (own.stream().noneMatch(o -> o.name().equals(typeOp.spec().name()))) {
                all.add(typeOp);
            }
        }
        for (OperatorSpec op : own) {
            Operator compiled;
            try {
                compiled = Operators.compile(op, spec);
            } catch (ValidationException e) {
                // Checked when it was put; it can only fail now if it was stored before this check
                // existed, or under another definition of the type: it does nothing, as in the
                // original.
                compiled = new InertOperator(op);
            }
            all.add(compiled);
        }
        return List.copyOf(all);
    }
}
