package org.dtlab.model.expr;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelFunctionOverload;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Our functions on doubles, beyond CEL's standard library and math extension: each is declared to
 * the compiler and bound in the runtime from the one table below, so the two cannot disagree.
 *
 * <p>Under {@code math.}: {@code sqrt}, {@code pow}, {@code exp}, {@code log} (natural), {@code
 * log10} and {@code clamp(x, low, high)}, next to the extension's {@code math.abs}, {@code
 * math.floor}, {@code math.greatest}... The usual ones are also plain names, as in a spreadsheet:
 * {@code abs}, {@code min(a, b)}, {@code max(a, b)}, {@code sqrt}, {@code pow}, {@code round} (half
 * away from zero), {@code floor}, {@code ceil}, {@code clamp}.
 *
 * <p>All are pure and cheap, and fail (the evaluation is not computable) rather than return a
 * non-finite number: {@code sqrt(-1.0)}, {@code log(0.0)}, {@code pow(10.0, 400.0)}, {@code
 * clamp(x, 2.0, 1.0)}.
 */
final class Functions {

    private record Function(String name, String overloadId, int arity, CelFunctionOverload impl) {}

    private static final List<Function> ALL =
            List.of(
                    unary("math.sqrt", "dtlab_math_sqrt", Math::sqrt),
                    binary("math.pow", "dtlab_math_pow", Math::pow),
                    unary("math.exp", "dtlab_math_exp", Math::exp),
                    unary("math.log", "dtlab_math_log", Math::log),
                    unary("math.log10", "dtlab_math_log10", Math::log10),
                    new Function("math.clamp", "dtlab_math_clamp", 3, Functions::clamp),
                    unary("abs", "dtlab_abs", Math::abs),
                    binary("min", "dtlab_min", Math::min),
                    binary("max", "dtlab_max", Math::max),
                    unary("sqrt", "dtlab_sqrt", Math::sqrt),
                    binary("pow", "dtlab_pow", Math::pow),
                    unary("round", "dtlab_round", Functions::round),
                    unary("floor", "dtlab_floor", Math::floor),
                    unary("ceil", "dtlab_ceil", Math::ceil),
                    new Function("clamp", "dtlab_clamp", 3, Functions::clamp));

    private Functions() {}

    static List<CelFunctionDecl> declarations() {
        List<CelFunctionDecl> declarations = new ArrayList<>(ALL.size());
        for (Function function : ALL) {
            List<CelType> params = Collections.nCopies(function.arity(), SimpleType.DOUBLE);
            declarations.add(
                    CelFunctionDecl.newFunctionDeclaration(
                            function.name(),
                            CelOverloadDecl.newGlobalOverload(
                                    function.overloadId(), SimpleType.DOUBLE, params)));
        }
        return declarations;
    }

    static List<CelFunctionBinding> bindings() {
        List<CelFunctionBinding> bindings = new ArrayList<>(ALL.size());
        for (Function function : ALL) {
            List<Class<?>> params = Collections.nCopies(function.arity(), Double.class);
            bindings.add(CelFunctionBinding.from(function.overloadId(), params, function.impl()));
        }
        return bindings;
    }

    /** The value, or a failure when it is not a finite number. */
    static Double finite(double value) throws CelEvaluationException {
        if (!Double.isFinite(value)) {
            throw new CelEvaluationException("result is not a finite number");
        }
        return value;
    }

    /** Half away from zero, like CEL's {@code math.round}: 2.5 is 3, -2.5 is -3. */
    static double round(double x) {
        double whole = x < 0 ? Math.ceil(x) : Math.floor(x);
        return Math.abs(x - whole) >= 0.5 ? whole + Math.signum(x) : whole;
    }

    private static Object clamp(Object[] args) throws CelEvaluationException {
        double x = (Double) args[0];
        double low = (Double) args[1];
        double high = (Double) args[2];
        if (!(low <= high)) {
            throw new CelEvaluationException("clamp: the low bound is above the high bound");
        }
        return finite(Math.max(low, Math.min(high, x)));
    }

    private interface Unary {
        double apply(double x);
    }

    private interface Binary {
        double apply(double x, double y);
    }

    private static Function unary(String name, String overloadId, Unary f) {
        return new Function(name, overloadId, 1, args -> finite(f.apply((Double) args[0])));
    }

    private static Function binary(String name, String overloadId, Binary f) {
        return new Function(
                name, overloadId, 2, args -> finite(f.apply((Double) args[0], (Double) args[1])));
    }
}
