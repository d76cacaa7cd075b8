package org.dtlab.model.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;

/**
 * What we check in an expression's tree beyond CEL: its estimated cost (on the parsed tree) and the
 * properties it reads (on the checked tree), rejecting {@code prev.x} or {@code props["x"]} for a
 * property the type does not have (CEL would accept any key of a map and fail at every evaluation).
 */
final class Inspection {

    private Inspection() {}

    // ---- cost ----------------------------------------------------------------------------------

    /**
     * Rejects an expression whose estimated cost exceeds {@link Expressions#MAX_COST}.
     *
     * <p>CEL-Java 0.14 has no cost estimator (CEL-Go's {@code EstimateCost} has no Java
     * counterpart), so this is ours: every node costs 1, and the loop of a comprehension ({@code
     * all}, {@code exists}, {@code exists_one}, {@code map}, {@code filter}) costs its body times
     * the size of its range: the length of a list literal, else the number of properties (a range
     * is {@code props}, {@code prev} or a list made from them). Nested comprehensions multiply.
     */
    static void checkCost(CelAbstractSyntaxTree parsed, int properties, String source) {
        long[] culprit = {-1};
        long cost = cost(parsed.getExpr(), Math.max(1, properties), culprit);
        if (cost > Expressions.MAX_COST) {
            long at = culprit[0] >= 0 ? culprit[0] : parsed.getExpr().id();
            throw Problems.rejected(
                    source,
                    "too costly: estimated cost above the limit of "
                            + Expressions.MAX_COST
                            + " (a comprehension costs its body times the number of"
                            + " elements it iterates over; nested ones multiply)",
                    parsed,
                    at);
        }
    }

    /** The estimated cost, capped just above the limit (so it cannot overflow). */
    private static long cost(CelExpr expr, long properties, long[] culprit) {
        long cost = 1;
        switch (expr.getKind()) {
            case SELECT -> cost += cost(expr.select().operand(), properties, culprit);
            case CALL -> {
                if (expr.call().target().isPresent()) {
                    cost += cost(expr.call().target().get(), properties, culprit);
                }
                for (CelExpr arg : expr.call().args()) {
                    cost += cost(arg, properties, culprit);
                }
            }
            case LIST -> {
                for (CelExpr element : expr.list().elements()) {
                    cost += cost(element, properties, culprit);
                }
            }
            case MAP -> {
                for (CelExpr.CelMap.Entry entry : expr.map().entries()) {
                    cost +=
                            cost(entry.key(), properties, culprit)
                                    + cost(entry.value(), properties, culprit);
                }
            }
            case STRUCT -> {
                for (CelExpr.CelStruct.Entry entry : expr.struct().entries()) {
                    cost += cost(entry.value(), properties, culprit);
                }
            }
            case COMPREHENSION -> {
                CelExpr.CelComprehension loop = expr.comprehension();
                CelExpr range = loop.iterRange();
                long size =
                        switch (range.getKind()) {
                            case LIST -> range.list().elements().size();
                            case MAP -> range.map().entries().size();
                            default -> properties;
                        };
                long body =
                        cost(loop.loopCondition(), properties, culprit)
                                + cost(loop.loopStep(), properties, culprit);
                cost +=
                        cost(range, properties, culprit)
                                + cost(loop.accuInit(), properties, culprit)
                                + size * body
                                + cost(loop.result(), properties, culprit);
                if (cost > Expressions.MAX_COST && culprit[0] < 0) {
                    culprit[0] = expr.id(); // the innermost comprehension over the limit
                }
            }
            default -> {}
        }
        return Math.min(cost, Expressions.MAX_COST + 1);
    }

    // ---- reads ---------------------------------------------------------------------------------

    /** The indexes of the properties a checked expression reads, ascending. */
    static int[] reads(CelAbstractSyntaxTree checked, Vars vars, String source) {
        Reader reader = new Reader(checked, vars, source);
        reader.walk(checked.getExpr(), Set.of());
        if (reader.all) {
            reader.reads.set(0, vars.names().size());
        }
        return reader.reads.stream().toArray();
    }

    private static final class Reader {
        private final CelAbstractSyntaxTree ast;
        private final Vars vars;
        private final String source;
        private final BitSet reads = new BitSet();
        private boolean all;

        Reader(CelAbstractSyntaxTree ast, Vars vars, String source) {
            this.ast = ast;
            this.vars = vars;
            this.source = source;
        }

        void walk(CelExpr expr, Set<String> locals) {
            switch (expr.getKind()) {
                case IDENT -> {
                    String name = expr.ident().name();
                    if (locals.contains(name)) {
                        return;
                    }
                    Integer idx = vars.variable(name);
                    if (idx != null) {
                        reads.set(idx);
                    } else if (name.equals(CelSetup.PROPS) || name.equals(CelSetup.PREV)) {
                        all = true; // the whole map: size(props), props.exists(...), props[k]
                    }
                }
                case SELECT -> {
                    CelExpr operand = expr.select().operand();
                    if (isPropertyMap(operand, locals)) {
                        read(expr.select().field(), expr.id()); // prev.open, has(prev.open)
                    } else {
                        walk(operand, locals);
                    }
                }
                case CALL -> {
                    var call = expr.call();
                    if (call.function().equals("_[_]")
                            && call.args().size() == 2
                            && isPropertyMap(call.args().get(0), locals)
                            && call.args().get(1).getKind() == CelExpr.ExprKind.Kind.CONSTANT
                            && call.args().get(1).constant().getKind()
                                    == CelConstant.Kind.STRING_VALUE) {
                        read(call.args().get(1).constant().stringValue(), call.args().get(1).id());
                        return;
                    }
                    call.target().ifPresent(target -> walk(target, locals));
                    call.args().forEach(arg -> walk(arg, locals));
                }
                case LIST -> expr.list().elements().forEach(element -> walk(element, locals));
                case MAP ->
                        expr.map()
                                .entries()
                                .forEach(
                                        entry -> {
                                            walk(entry.key(), locals);
                                            walk(entry.value(), locals);
                                        });
                case STRUCT ->
                        expr.struct().entries().forEach(entry -> walk(entry.value(), locals));
                case COMPREHENSION -> {
                    CelExpr.CelComprehension loop = expr.comprehension();
                    walk(loop.iterRange(), locals);
                    walk(loop.accuInit(), locals);
                    Set<String> inner = new HashSet<>(locals);
                    inner.add(loop.iterVar());
                    if (!loop.iterVar2().isEmpty()) {
                        inner.add(loop.iterVar2());
                    }
                    inner.add(loop.accuVar());
                    walk(loop.loopCondition(), inner);
                    walk(loop.loopStep(), inner);
                    Set<String> after = new HashSet<>(locals);
                    after.add(loop.accuVar());
                    walk(loop.result(), after);
                }
                default -> {}
            }
        }

        private boolean isPropertyMap(CelExpr expr, Set<String> locals) {
            if (expr.getKind() != CelExpr.ExprKind.Kind.IDENT) {
                return false;
            }
            String name = expr.ident().name();
            return (name.equals(CelSetup.PROPS) || name.equals(CelSetup.PREV))
                    && !locals.contains(name);
        }

        private void read(String name, long exprId) {
            Integer idx = vars.index(name);
            if (idx == null) {
                throw Problems.rejected(source, "undeclared property '" + name + "'", ast, exprId);
            }
            reads.set(idx);
        }
    }
}
