package org.dtlab.model.expr;

import com.google.common.primitives.UnsignedLong;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * An {@link Expression} backed by a CEL program, compiled once by {@link Expressions}.
 *
 * <p>Each evaluation hands the program a {@link CelVariableResolver} over the {@link Bindings}: CEL
 * asks for a variable by name only when the evaluation reaches it, and gets the value straight from
 * the bindings, so nothing is copied into a map per evaluation. A property without a value (NaN) is
 * not given to CEL at all, which makes CEL fail the evaluation unless the value is not needed
 * ({@code false && t > 1.0}, {@code has(prev.t) ? prev.t : 0.0}); every failure becomes NaN or
 * {@code null}.
 */
final class CelExpression implements Expression {

    private final String source;
    private final boolean condition;
    private final CelRuntime.Program program;
    private final Vars vars;
    private final int[] reads;

    CelExpression(
            String source, boolean condition, CelRuntime.Program program, Vars vars, int[] reads) {
        this.source = source;
        this.condition = condition;
        this.program = program;
        this.vars = vars;
        this.reads = reads;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public double evaluate(Bindings bindings) {
        return toDouble(run(bindings));
    }

    @Override
    public Boolean test(Bindings bindings) {
        Object result = run(bindings);
        if (result instanceof Boolean b) {
            return b;
        }
        double value = toDouble(result);
        return Double.isNaN(value) ? null : value != 0.0;
    }

    @Override
    public int[] reads() {
        return reads.clone();
    }

    @Override
    public String toString() {
        return (condition ? "condition " : "number ") + source;
    }

    /** The program's result, or null when it failed. */
    private Object run(Bindings bindings) {
        try {
            return program.eval(new Resolver(vars, bindings));
        } catch (Exception e) { // CelEvaluationException, or anything a function let through
            return null;
        }
    }

    private static double toDouble(Object result) {
        double value;
        if (result instanceof Double d) {
            value = d;
        } else if (result instanceof Boolean b) {
            value = b ? 1.0 : 0.0;
        } else if (result instanceof Long l) {
            value = l;
        } else if (result instanceof UnsignedLong u) {
            value = u.doubleValue();
        } else {
            return Double.NaN;
        }
        return Double.isFinite(value) ? value : Double.NaN;
    }

    /** The variables of one evaluation, read from the bindings when CEL asks. */
    private static final class Resolver implements CelVariableResolver {
        private final Vars vars;
        private final Bindings bindings;

        Resolver(Vars vars, Bindings bindings) {
            this.vars = vars;
            this.bindings = bindings;
        }

        @Override
        public Optional<Object> find(String name) {
            Integer idx = vars.variable(name);
            if (idx != null) {
                double value = bindings.value(idx);
                return Double.isNaN(value) ? Optional.empty() : Optional.of(value);
            }
            return switch (name) {
                case CelSetup.PROPS -> Optional.of(new PropertyMap(vars, bindings, false));
                case CelSetup.PREV -> Optional.of(new PropertyMap(vars, bindings, true));
                case CelSetup.TIME -> Optional.of(Instant.ofEpochMilli(bindings.timeMillis()));
                default -> Optional.empty();
            };
        }
    }

    /**
     * {@code props} or {@code prev} as a CEL {@code map(string, double)}: a read-only view of the
     * bindings. A property without a value is not in the map, so {@code prev.x} fails (not
     * computable) and {@code has(prev.x)} is false.
     */
    private static final class PropertyMap extends AbstractMap<String, Double> {
        private final Vars vars;
        private final Bindings bindings;
        private final boolean previous;

        PropertyMap(Vars vars, Bindings bindings, boolean previous) {
            this.vars = vars;
            this.bindings = bindings;
            this.previous = previous;
        }

        private double at(int idx) {
            return previous ? bindings.previous(idx) : bindings.value(idx);
        }

        @Override
        public Double get(Object key) {
            if (!(key instanceof String name)) {
                return null;
            }
            Integer idx = vars.index(name);
            if (idx == null) {
                return null;
            }
            double value = at(idx);
            return Double.isNaN(value) ? null : value;
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public Set<Map.Entry<String, Double>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, Double>> iterator() {
                    return new Entries();
                }

                @Override
                public int size() {
                    int size = 0;
                    for (Iterator<?> it = iterator(); it.hasNext(); it.next()) {
                        size++;
                    }
                    return size;
                }
            };
        }

        /**
         * The properties with a value. Each entry holds its value (CEL compares what two calls of
         * getValue return by identity, and copies the map if they differ).
         */
        private final class Entries implements Iterator<Map.Entry<String, Double>> {
            private final int[] distinct = vars.distinct();
            private int position = -1;
            private double value;

            Entries() {
                advance();
            }

            private void advance() {
                do {
                    position++;
                } while (position < distinct.length
                        && Double.isNaN(value = at(distinct[position])));
            }

            @Override
            public boolean hasNext() {
                return position < distinct.length;
            }

            @Override
            public Map.Entry<String, Double> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map.Entry<String, Double> entry =
                        new SimpleImmutableEntry<>(vars.names().get(distinct[position]), value);
                advance();
                return entry;
            }
        }
    }
}
