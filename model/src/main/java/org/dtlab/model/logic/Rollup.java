package org.dtlab.model.logic;

import org.dtlab.model.ValidationException;
import org.dtlab.model.expr.Expression;
import org.dtlab.model.expr.Expressions;
import org.dtlab.model.spec.RollupSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.state.OperatorMemory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A compiled roll-up of a parent type (docs/operators.md, "Roll-ups"): keeps the aggregate of its
 * children's latest values in the parent's memory and says when it changed.
 *
 * <p>The aggregate is kept incrementally — a child's new value replaces its old one in a count, a
 * compensated sum (so that millions of replacements do not drift), a minimum and a maximum — and
 * the children's values themselves live in {@link ChildValues} (the parent's keyed map state in the
 * job), read only to find a new minimum or maximum when the child that held it moves away.
 */
public final class Rollup {

    /**
     * Children one roll-up of one parent counts; a child past it is not counted (and counted as
     * refused).
     */
    public static final int MAX_CHILDREN = 10_000;

    /** Roll-ups per type. */
    public static final int MAX_ROLLUPS = 64;

    /** The aggregates, as named in a definition. */
    public enum Agg {
        AVG,
        MIN,
        MAX,
        SUM,
        COUNT,
        COUNT_WHERE;

        static Agg of(String text) {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        }

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The memory of a roll-up is stored under a name no operator can have (names exclude '/'). */
    static final String MEMORY_PREFIX = "rollup/";

    // Layout of the memory values.
    private static final int COUNT = 0;
    private static final int SUM = 1;
    private static final int COMPENSATION = 2;
    private static final int MIN = 3;
    private static final int MAX = 4;
    private static final int LAST = 5;

    private final RollupSpec spec;
    private final Agg agg;
    private final int output;
    private final String definition;
    private final int definitionHash;

    private Rollup(RollupSpec spec, Agg agg, int output) {
        this.spec = spec;
        this.agg = agg;
        this.output = output;
        this.definition =
                "rollup/"
                        + agg.jsonName()
                        + "/"
                        + spec.child()
                        + "/"
                        + spec.property()
                        + "/"
                        + (spec.where() == null ? "" : spec.where());
        this.definitionHash = definition.hashCode();
    }

    /**
     * Compiles the roll-ups of a type: what can be checked without the child type.
     *
     * @throws ValidationException naming the roll-up and the field
     */
    static List<Rollup> compileAll(TwinType type) {
        if (type.rollups().size() > MAX_ROLLUPS) {
            throw new ValidationException(
                    "type " + type.name() + ": at most " + MAX_ROLLUPS + " roll-ups");
        }
        Set<String> names = new HashSet<>();
        Set<Integer> outputs = new HashSet<>();
        List<Rollup> compiled = new ArrayList<>(type.rollups().size());
        for (RollupSpec spec : type.rollups()) {
            Rollup rollup = compile(spec, type);
            if (!names.add(spec.name())) {
                throw new ValidationException(
                        "type " + type.name() + ": duplicate roll-up name " + spec.name());
            }
            if (!outputs.add(rollup.output)) {
                throw invalid(
                        spec,
                        "output",
                        "[0] = " + rollup.output + " is written by another roll-up");
            }
            compiled.add(rollup);
        }
        return List.copyOf(compiled);
    }

    private static Rollup compile(RollupSpec spec, TwinType type) {
        require(spec, spec.child() != null && !spec.child().isBlank(), "child", "is required");
        require(
                spec,
                type.hasChild(spec.child()),
                "child",
                "must be one of the type's children " + type.children() + ", not " + spec.child());
        require(
                spec,
                spec.property() != null && !spec.property().isBlank(),
                "property",
                "is required (a property of type " + spec.child() + ")");
        require(spec, spec.agg() != null, "agg", "is required");
        Agg agg;
        try {
            agg = Agg.of(spec.agg());
        } catch (IllegalArgumentException e) {
            throw invalid(spec, "agg", "must be one of avg, min, max, sum, count, count_where");
        }
        require(
                spec,
                (spec.where() != null) == (agg == Agg.COUNT_WHERE),
                "where",
                agg == Agg.COUNT_WHERE ? "is required for count_where" : "is only for count_where");
        require(spec, spec.output().size() == 1, "output", "needs exactly one index");
        Integer idx = spec.output().get(0);
        require(
                spec,
                idx != null && idx >= 0 && idx < type.props().size(),
                "output",
                "[0] = "
                        + idx
                        + " is not a property of type "
                        + type.name()
                        + " (it has "
                        + type.props().size()
                        + ")");
        return new Rollup(spec, agg, idx);
    }

    /**
     * What a child of {@code childType} contributes to this roll-up: the child's side, compiled
     * against the child's type.
     *
     * @throws ValidationException if the child type lacks the property or the condition does not
     *     compile
     */
    public Contributor contributor(TwinType childType) {
        int idx = childType.indexOf(spec.property());
        require(
                spec,
                idx >= 0,
                "property",
                "'"
                        + spec.property()
                        + "' is not a property of type "
                        + childType.name()
                        + " "
                        + childType.props());
        Expression where = null;
        if (spec.where() != null) {
            try {
                where = Expressions.condition(spec.where(), childType.props());
            } catch (ValidationException e) {
                throw invalid(spec, "where", e.getMessage());
            }
        }
        return new Contributor(spec.name(), definitionHash, idx, agg == Agg.COUNT, where);
    }

    public RollupSpec spec() {
        return spec;
    }

    /** The parent's property this roll-up writes. */
    int output() {
        return output;
    }

    int definitionHash() {
        return definitionHash;
    }

    String memoryName() {
        return MEMORY_PREFIX + spec.name();
    }

    /** Whether a memory is this roll-up's, under its current definition. */
    boolean owns(OperatorMemory memory) {
        return memory.operator().equals(memoryName()) && memory.definition().equals(definition);
    }

    /**
     * A child's new value. Updates {@code children} and returns the roll-up's memory afterwards, or
     * {@code null} if the value is the one the child had already given (nothing changes).
     *
     * @param memory the roll-up's memory, or {@code null} before its first value
     * @param refused called when the child is not counted because the parent has {@link
     *     #MAX_CHILDREN}
     */
    OperatorMemory accept(
            OperatorMemory memory,
            ChildValues children,
            String child,
            double value,
            Runnable refused) {
        String key = spec.name();
        ChildValues.Value old = children.get(key, child);
        if (old != null && old.definition() != definitionHash) {
            old = null; // computed under an earlier definition of the roll-up: never counted by
            // this one
        }
        if (old != null && Double.compare(old.value(), value) == 0) {
            return null;
        }
        double[] v =
                memory != null
                        ? memory.values()
                        : new double[] {0, 0, 0, Double.NaN, Double.NaN, Double.NaN};
        if (old == null) {
            if (v[COUNT] >= MAX_CHILDREN) {
                refused.run();
                return null;
            }
            v[COUNT]++;
        } else {
            add(v, -old.value());
        }
        add(v, value);
        children.put(key, child, new ChildValues.Value(definitionHash, value));
        if (Double.isNaN(v[MIN]) || value <= v[MIN]) {
            v[MIN] = value;
        } else if (old != null && old.value() == v[MIN]) {
            v[MIN] = extreme(children, true);
        }
        if (Double.isNaN(v[MAX]) || value >= v[MAX]) {
            v[MAX] = value;
        } else if (old != null && old.value() == v[MAX]) {
            v[MAX] = extreme(children, false);
        }
        return new OperatorMemory(memoryName(), definition, OperatorMemory.NO_DEADLINE, v);
    }

    /**
     * The roll-up's value after {@link #accept}, if it differs from the one last written: the
     * memory then records it as written. {@code NaN} if there is nothing new to write.
     */
    double changedValue(OperatorMemory memory) {
        double[] v = memory.values();
        double value =
                switch (agg) {
                    case AVG -> (v[SUM] + v[COMPENSATION]) / v[COUNT];
                    case SUM, COUNT_WHERE -> v[SUM] + v[COMPENSATION];
                    case COUNT -> v[COUNT];
                    case MIN -> v[MIN];
                    case MAX -> v[MAX];
                };
        return Double.compare(value, v[LAST]) == 0 ? Double.NaN : value;
    }

    /** The memory with {@code value} recorded as the last one written. */
    OperatorMemory written(OperatorMemory memory, double value) {
        double[] v = memory.values();
        v[LAST] = value;
        return new OperatorMemory(memory.operator(), memory.definition(), memory.deadline(), v);
    }

    private double extreme(ChildValues children, boolean min) {
        double[] best = {Double.NaN};
        children.forEach(
                spec.name(),
                (child, value) -> {
                    if (value.definition() == definitionHash
                            && (Double.isNaN(best[0])
                                    || (min ? value.value() < best[0] : value.value() > best[0]))) {
                        best[0] = value.value();
                    }
                });
        return best[0];
    }

    /** Neumaier's compensated addition: the running sum stays exact to the last bits. */
    private static void add(double[] v, double x) {
        double sum = v[SUM];
        double t = sum + x;
        if (Math.abs(sum) >= Math.abs(x)) {
            v[COMPENSATION] += (sum - t) + x;
        } else {
            v[COMPENSATION] += (x - t) + sum;
        }
        v[SUM] = t;
    }

    private static void require(RollupSpec spec, boolean ok, String field, String what) {
        if (!ok) {
            throw invalid(spec, field, what);
        }
    }

    private static ValidationException invalid(RollupSpec spec, String field, String what) {
        return new ValidationException("roll-up " + spec.name() + ": '" + field + "' " + what);
    }
}
