package org.dtlab.model.expr;

import dev.cel.common.CelOptions;
import dev.cel.common.CelVarDecl;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelMathExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.runtime.standard.DivideOperator.DivideOverload;

import java.util.ArrayList;
import java.util.List;

/**
 * The one CEL configuration every expression shares: options, macros, functions, the reserved
 * variables, the compiler and the runtime.
 *
 * <p>Building a CEL compiler and runtime is slow (about a second on first use, most of it class
 * loading and the standard library's declarations), so they are built once, when the first
 * expression is compiled, and shared: both are immutable and thread-safe. A twin type only adds its
 * property variables, on a copy of the compiler ({@link #compiler(List)}); the runtime does not
 * need declarations at all, so one runtime serves every type.
 */
final class CelSetup {

    /** The current values of every property by name: {@code props["miss-distance"]}. */
    static final String PROPS = "props";

    /** The values before the triggering telemetry: {@code prev.open}, {@code prev["a.b"]}. */
    static final String PREV = "prev";

    /** The event time, a {@code google.protobuf.Timestamp}. */
    static final String TIME = "time";

    /**
     * CEL's current options, which also make timestamps {@code java.time.Instant} at runtime (so
     * {@code time} is bound without protobuf; the switch, evaluateCanonicalTypesToNativeValues, is
     * on in {@code current()} and deprecated), plus ours.
     */
    static final CelOptions OPTIONS =
            CelOptions.current()
                    // t > 2 (double against int) compares by value, as users expect.
                    .enableHeterogeneousNumericComparisons(true)
                    // The limits published in Expressions (the length is checked before, with a
                    // clearer message).
                    .maxExpressionCodePointSize(Expressions.MAX_LENGTH)
                    .maxParseRecursionDepth(Expressions.MAX_NESTING)
                    .comprehensionMaxIterations(Expressions.MAX_ITERATIONS)
                    .maxRegexProgramSize(Expressions.MAX_REGEX_PROGRAM_SIZE)
                    .build();

    /**
     * CEL's math extension minus its bit operations (no use on doubles) and sqrt (ours fails on a
     * negative number instead of returning NaN). Our own functions are in {@link Functions}.
     */
    private static final CelMathExtensions MATH =
            CelExtensions.math(
                    CelMathExtensions.Function.MAX,
                    CelMathExtensions.Function.MIN,
                    CelMathExtensions.Function.CEIL,
                    CelMathExtensions.Function.FLOOR,
                    CelMathExtensions.Function.ROUND,
                    CelMathExtensions.Function.TRUNC,
                    CelMathExtensions.Function.ABS,
                    CelMathExtensions.Function.SIGN,
                    CelMathExtensions.Function.ISNAN,
                    CelMathExtensions.Function.ISINF,
                    CelMathExtensions.Function.ISFINITE);

    private static final MapType STRING_TO_DOUBLE =
            MapType.create(SimpleType.STRING, SimpleType.DOUBLE);

    private static final CelCompiler BASE =
            CelCompilerFactory.standardCelCompilerBuilder()
                    .setOptions(OPTIONS)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .addLibraries(MATH)
                    .addFunctionDeclarations(Functions.declarations())
                    .addVar(PROPS, STRING_TO_DOUBLE)
                    .addVar(PREV, STRING_TO_DOUBLE)
                    .addVar(TIME, SimpleType.TIMESTAMP)
                    .build();

    /**
     * The legacy interpreter, not CEL's newer planner runtime: the planner converts a map variable
     * entry by entry on every access, so {@code prev.open} costs about 140 ns per property of the
     * type (7 µs with 50 properties) against a constant 300 ns here; plain arithmetic is as fast in
     * both.
     *
     * <p>Division of doubles is replaced by one that fails on a zero divisor, and our math
     * functions fail on a non-finite result, so that "not computable" also holds inside a condition
     * ({@code a / b > 1.0} with b = 0 is neither true nor false). Replacing a standard overload
     * means giving the standard functions ourselves; with our options the legacy runtime's own
     * filter keeps them all, so this is the full set minus double division.
     */
    static final CelRuntime RUNTIME =
            CelRuntimeFactory.legacyCelRuntimeBuilder()
                    .setOptions(OPTIONS)
                    .setStandardEnvironmentEnabled(false)
                    .setStandardFunctions(
                            CelStandardFunctions.newBuilder()
                                    .filterFunctions(
                                            (function, overload) ->
                                                    overload != DivideOverload.DIVIDE_DOUBLE)
                                    .build())
                    .addLibraries(MATH)
                    .addFunctionBindings(
                            CelFunctionBinding.from(
                                    "divide_double",
                                    Double.class,
                                    Double.class,
                                    (x, y) -> {
                                        if (y == 0.0) {
                                            throw new CelEvaluationException("division by zero");
                                        }
                                        return Functions.finite(x / y);
                                    }))
                    .addFunctionBindings(Functions.bindings())
                    .build();

    private CelSetup() {}

    /** The shared compiler, for parsing: parsing needs no declarations. */
    static CelCompiler parser() {
        return BASE;
    }

    /** A compiler that also knows the given properties as variables of type double. */
    static CelCompiler compiler(List<String> variables) {
        List<CelVarDecl> declarations = new ArrayList<>(variables.size());
        for (String name : variables) {
            declarations.add(CelVarDecl.newVarDeclaration(name, SimpleType.DOUBLE));
        }
        return BASE.toCompilerBuilder().addVarDeclarations(declarations).build();
    }
}
