package org.dtlab.model.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelMutableAst;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelMutableExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableMutableExpr;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Type-checks an expression, turning integer literals into doubles where they meet a double.
 *
 * <p>Properties are doubles, and CEL has no implicit conversion: {@code t * 1.8 + 32} is a type
 * error ({@code double + int}), and so is {@code t == 1}. Users write formulas, not CEL, so a
 * literal written without a decimal point becomes a double where it is used with a double. This is
 * decided on the type-checked tree, not on the text, so that integers stay integers where CEL needs
 * them ({@code list[0]}, {@code time.getHours() % 2 == 0}, {@code size(props) > 2}):
 *
 * <ul>
 *   <li>when the checker finds no overload of an operator or function for a call that has a double
 *       operand (or only literal operands, as in {@code math.pow(2, 10)}), its integer-literal
 *       operands become doubles and the check runs again;
 *   <li>when the check passes, an integer-literal operand next to a double operand of the same call
 *       or list ({@code t > 2}, {@code math.greatest(t, 0)}, {@code [t, 0]}) becomes a double too,
 *       so that no mixed int/double value reaches the runtime;
 *   <li>a numeric expression that is nothing but integer literals ({@code 1/2}) is computed in
 *       doubles.
 * </ul>
 *
 * <p>An "integer-literal operand" is a literal, an arithmetic of literals ({@code (1 + 2) * t}
 * becomes {@code (1.0 + 2.0) * t}, so {@code t * (1/2)} is {@code t * 0.5}), a list of them ({@code
 * t in [1, 2]}) or an element of such a list ({@code [10, 20][i] * t}, whose index stays an int). A
 * computed integer is never converted: {@code size(props) * 1.5} is an error, write {@code
 * double(size(props)) * 1.5}. The index of {@code list[i]} is never touched.
 */
final class IntLiterals {

    private static final Set<String> ARITHMETIC = Set.of("_+_", "_-_", "_*_", "_/_", "-_");
    private static final String INDEX = "_[_]";
    private static final String NO_OVERLOAD = "found no matching overload for ";
    private static final String APPLIED_TO = "applied to '";

    private IntLiterals() {}

    /**
     * The checked tree of a parsed expression, or a {@link org.dtlab.model.ValidationException}.
     */
    static CelAbstractSyntaxTree check(
            CelCompiler compiler, CelAbstractSyntaxTree parsed, boolean number, String source) {
        CelMutableAst mutable = CelMutableAst.fromCelAst(parsed);
        Map<Long, CelMutableExpr> nodes = new HashMap<>();
        CelNavigableMutableExpr.fromExpr(mutable.expr())
                .allNodes()
                .forEach(node -> nodes.put(node.id(), node.expr()));

        CelAbstractSyntaxTree current = parsed;
        CelAbstractSyntaxTree lastGood = null;
        // Terminates: every round turns at least one int literal into a double, and none back.
        while (true) {
            CelValidationResult result = compiler.check(current);
            Set<Long> promote;
            if (result.hasError()) {
                if (lastGood != null) {
                    return lastGood; // a promotion for tidiness broke the check: keep what passed
                }
                promote = afterError(current, result.getErrors());
                if (promote.isEmpty()) {
                    throw Problems.rejected(source, rootCauses(result.getErrors()));
                }
            } else {
                CelAbstractSyntaxTree checked = checked(result);
                promote = nextToDouble(checked, number);
                if (promote.isEmpty()) {
                    return checked;
                }
                lastGood = checked;
            }
            for (long id : promote) {
                CelMutableExpr literal = nodes.get(id);
                literal.setConstant(CelConstant.ofValue((double) literal.constant().int64Value()));
            }
            current = mutable.toParsedAst(/* retainSourcePositions= */ true);
        }
    }

    /**
     * The errors to show: a missing overload is often the consequence of another error ({@code 2 *
     * flor(t)}: the undeclared {@code flor} has no type, so neither has the product), so those are
     * shown only when there is nothing else.
     */
    private static List<CelIssue> rootCauses(List<CelIssue> errors) {
        List<CelIssue> others =
                errors.stream()
                        .filter(issue -> !issue.getMessage().startsWith(NO_OVERLOAD))
                        .toList();
        return others.isEmpty() ? errors : others;
    }

    private static CelAbstractSyntaxTree checked(CelValidationResult result) {
        try {
            return result.getAst();
        } catch (CelValidationException e) {
            throw new IllegalStateException("checked without errors but no tree", e);
        }
    }

    /**
     * The literals to promote after "found no matching overload for ... applied to '(double,
     * int)'".
     */
    private static Set<Long> afterError(CelAbstractSyntaxTree ast, List<CelIssue> issues) {
        Set<Long> promote = new LinkedHashSet<>();
        Map<Long, CelExpr> byId = null;
        for (CelIssue issue : issues) {
            String message = issue.getMessage();
            if (!message.startsWith(NO_OVERLOAD)) {
                continue;
            }
            if (byId == null) {
                byId = new HashMap<>();
                Map<Long, CelExpr> all = byId;
                CelNavigableAst.fromAst(ast)
                        .getRoot()
                        .allNodes()
                        .forEach(node -> all.put(node.id(), node.expr()));
            }
            CelExpr call = byId.get(issue.getExprId());
            if (call == null
                    || call.getKind() != CelExpr.ExprKind.Kind.CALL
                    || call.call().function().equals(INDEX)) {
                continue;
            }
            int types = message.indexOf(APPLIED_TO);
            boolean withDouble = types >= 0 && message.indexOf("double", types) >= 0;
            List<CelExpr> operands = operands(call);
            List<CelExpr> literals = operands.stream().filter(IntLiterals::isIntLiteral).toList();
            if (literals.isEmpty() || (!withDouble && literals.size() != operands.size())) {
                continue;
            }
            literals.forEach(literal -> collectInts(literal, promote));
        }
        return promote;
    }

    /** The literals to promote in a tree that checks: those next to a double. */
    private static Set<Long> nextToDouble(CelAbstractSyntaxTree ast, boolean number) {
        Set<Long> promote = new LinkedHashSet<>();
        CelNavigableAst.fromAst(ast)
                .getRoot()
                .allNodes()
                .forEach(
                        node -> {
                            CelExpr expr = node.expr();
                            List<CelExpr> operands;
                            if (expr.getKind() == CelExpr.ExprKind.Kind.CALL
                                    && !expr.call().function().equals(INDEX)) {
                                operands = operands(expr);
                            } else if (expr.getKind() == CelExpr.ExprKind.Kind.LIST) {
                                operands = expr.list().elements();
                            } else {
                                return;
                            }
                            boolean withDouble =
                                    operands.stream()
                                            .anyMatch(
                                                    operand ->
                                                            ast.getType(operand.id())
                                                                    .filter(
                                                                            SimpleType.DOUBLE
                                                                                    ::equals)
                                                                    .isPresent());
                            if (withDouble) {
                                operands.stream()
                                        .filter(IntLiterals::isIntLiteral)
                                        .forEach(literal -> collectInts(literal, promote));
                            }
                        });
        if (number && isIntLiteral(ast.getExpr())) {
            collectInts(ast.getExpr(), promote);
        }
        return promote;
    }

    private static List<CelExpr> operands(CelExpr call) {
        Optional<CelExpr> target = call.call().target();
        if (target.isEmpty()) {
            return call.call().args();
        }
        List<CelExpr> operands = new ArrayList<>(call.call().args().size() + 1);
        operands.add(target.get());
        operands.addAll(call.call().args());
        return operands;
    }

    /** An int literal, an arithmetic of int literals, or a non-empty list of them. */
    static boolean isIntLiteral(CelExpr expr) {
        return switch (expr.getKind()) {
            case CONSTANT -> expr.constant().getKind() == CelConstant.Kind.INT64_VALUE;
            case CALL ->
                    expr.call().target().isEmpty()
                            && (ARITHMETIC.contains(expr.call().function())
                                    ? expr.call().args().stream()
                                            .allMatch(IntLiterals::isIntLiteral)
                                    : expr.call().function().equals(INDEX)
                                            && expr.call().args().get(0).getKind()
                                                    == CelExpr.ExprKind.Kind.LIST
                                            && isIntLiteral(expr.call().args().get(0)));
            case LIST ->
                    !expr.list().elements().isEmpty()
                            && expr.list().optionalIndices().isEmpty()
                            && expr.list().elements().stream().allMatch(IntLiterals::isIntLiteral);
            default -> false;
        };
    }

    private static void collectInts(CelExpr expr, Set<Long> ids) {
        switch (expr.getKind()) {
            case CONSTANT -> ids.add(expr.id());
            case CALL -> {
                if (expr.call().function().equals(INDEX)) {
                    collectInts(
                            expr.call().args().get(0), ids); // [10, 20][i]: the list, not the index
                } else {
                    expr.call().args().forEach(arg -> collectInts(arg, ids));
                }
            }
            case LIST -> expr.list().elements().forEach(element -> collectInts(element, ids));
            default -> {}
        }
    }
}
