package org.dtlab.model.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypes;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import org.dtlab.model.ValidationException;

import java.util.List;
import java.util.Set;

/**
 * Compiles the expressions of a twin type: numeric formulas and boolean conditions in <a
 * href="https://github.com/google/cel-spec">CEL</a> (Common Expression Language, cel-java 0.14),
 * over the type's properties.
 *
 * <p>CEL because it is made for this: a small, side-effect free, non-Turing-complete language with
 * a type checker (a mistake is a 400 when the definition is posted, not an error on every
 * telemetry), an evaluator that is safe to run on user input, and an implementation that compiles
 * once and evaluates many times.
 *
 * <h2>What an expression sees</h2>
 *
 * <ul>
 *   <li>Each property whose name is a CEL identifier ({@code [_a-zA-Z][_a-zA-Z0-9]*}, not a CEL
 *       reserved word such as {@code in} or {@code null}, and not {@code props}, {@code prev} or
 *       {@code time}) is a variable of type {@code double}: its current value, after the triggering
 *       telemetry.
 *   <li>{@code props}: every property by name, a {@code map(string, double)} of current values, for
 *       names that are not identifiers: {@code props["miss-distance"]}.
 *   <li>{@code prev}: the values before the triggering telemetry, a {@code map(string, double)}:
 *       {@code prev.open}, {@code prev["a.b"]}.
 *   <li>{@code time}: the event time of the triggering telemetry or timer, a {@code
 *       google.protobuf.Timestamp}: {@code time.getHours() >= 22} (UTC; {@code
 *       time.getHours("Europe/Paris")} for a zone).
 * </ul>
 *
 * <p>A property without a value makes the evaluation "not computable" (NaN, or {@code null} from
 * {@link Expression#test}) unless it is not needed, as in {@code has(prev.t) ? t - prev.t : 0.0} or
 * {@code a > 1.0 || b > 1.0} with {@code a} = 2 (CEL's logical operators absorb an error on one
 * side when the other side decides). So are a division by zero, a non-finite result, and any other
 * runtime error. A literal name that is not a property ({@code prev.x}, {@code props["x"]}) is
 * rejected at compile time.
 *
 * <h2>Numbers</h2>
 *
 * <p>CEL does not mix {@code int} and {@code double} in arithmetic, but a literal such as {@code
 * 32} is an {@code int}. So an integer literal used with a double becomes a double: {@code t * 1.8
 * + 32} and {@code t == 1} work as written, and a numeric expression of literals only ({@code 1/2})
 * is computed in doubles (0.5). Integers stay integers where CEL needs them ({@code list[0]},
 * {@code time.getHours() % 2 == 0}); comparisons of an {@code int} with a {@code double} ({@code
 * size(props) > 2.5}) compare values. A computed integer is not converted: write {@code
 * double(size(props)) / 2.0}. See {@link IntLiterals} for the exact rule.
 *
 * <h2>Functions</h2>
 *
 * <p>CEL's standard library (arithmetic, comparisons, {@code &&}, {@code ||}, {@code ? :}, {@code
 * has()}, {@code size()}, {@code in}, {@code all/exists/exists_one/map/filter}, conversions {@code
 * double()}/{@code int()}, strings, timestamps and durations); from CEL's math extension, on
 * numbers: {@code math.greatest(a, b, ...)}, {@code math.least(a, b, ...)}, {@code math.abs},
 * {@code math.sign}, {@code math.ceil}, {@code math.floor}, {@code math.round} (half away from
 * zero), {@code math.trunc}, {@code math.isNaN}, {@code math.isInf}, {@code math.isFinite}; and
 * ours, on doubles ({@link Functions}): {@code math.sqrt}, {@code math.pow(x, y)}, {@code
 * math.exp}, {@code math.log} (natural), {@code math.log10}, {@code math.clamp(x, low, high)}, and
 * without prefix {@code abs}, {@code min(a, b)}, {@code max(a, b)}, {@code sqrt}, {@code pow},
 * {@code round}, {@code floor}, {@code ceil}, {@code clamp}. Ours are not computable when their
 * result is not a finite number ({@code sqrt(-1.0)}, {@code log(0.0)}).
 *
 * <h2>Limits</h2>
 *
 * <p>At most {@link #MAX_LENGTH} characters; nesting at most {@link #MAX_NESTING} deep (CEL's
 * parser recursion limit); an estimated cost of at most {@link #MAX_COST} (see {@link
 * Inspection#checkCost}: CEL-Java has no cost estimator, ours counts nodes and multiplies the body
 * of a comprehension by the size of its range); and, when running, at most {@link #MAX_ITERATIONS}
 * comprehension iterations per evaluation (CEL's {@code comprehensionMaxIterations}; beyond, the
 * evaluation is not computable) and regular expressions of at most {@link #MAX_REGEX_PROGRAM_SIZE}
 * instructions (CEL's {@code maxRegexProgramSize}; RE2J, so matching is linear anyway).
 *
 * <h2>Errors</h2>
 *
 * <p>{@link #number} and {@link #condition} throw a {@link ValidationException} whose message names
 * the expression, the reason and the position (line:column, from 1), e.g. {@code expression 'tmp *
 * 2': undeclared reference to 'tmp' at 1:1}.
 *
 * <p>The compiler and runtime are built once per JVM, on first use (about a second), and shared;
 * compiling an expression then takes about a millisecond.
 */
public final class Expressions {

    /** The longest source accepted, in characters. */
    public static final int MAX_LENGTH = 2000;

    /**
     * The deepest nesting accepted: CEL's parser recursion limit, which counts nested parentheses
     * and calls, and also the links of a chain of one operator (a sum of more than about 100 terms
     * is too deep).
     */
    public static final int MAX_NESTING = 100;

    /** The highest estimated cost accepted (see the class comment). */
    public static final int MAX_COST = 10_000;

    /** The most comprehension iterations in one evaluation; beyond, it is not computable. */
    public static final int MAX_ITERATIONS = 10_000;

    /** The largest compiled regular expression (RE2J program instructions). */
    public static final int MAX_REGEX_PROGRAM_SIZE = 1_000;

    private static final Set<CelType> NUMERIC =
            Set.of(SimpleType.DOUBLE, SimpleType.INT, SimpleType.UINT, SimpleType.DYN);

    private Expressions() {}

    /**
     * Compiles a numeric expression (its result must be a number: double, int, or dyn checked when
     * evaluated) against the type's props (idx = position in props).
     *
     * @throws ValidationException when the expression is empty, too long, too costly, does not
     *     parse, does not type-check, reads a property the type does not have, or is not numeric
     */
    public static Expression number(String source, List<String> props) {
        return compile(source, props, false);
    }

    /**
     * Compiles a boolean condition against the type's props (idx = position in props).
     *
     * @throws ValidationException as {@link #number}, or when the expression is not of type bool
     */
    public static Expression condition(String source, List<String> props) {
        return compile(source, props, true);
    }

    /**
     * Whether a property of this name can be read as a variable; if not, only via {@code
     * props[...]}.
     */
    public static boolean isVariable(String property) {
        return Vars.isVariable(property);
    }

    private static Expression compile(String source, List<String> props, boolean condition) {
        if (source == null || source.isBlank()) {
            throw new ValidationException("expression is empty");
        }
        if (source.length() > MAX_LENGTH) {
            throw Problems.rejected(
                    source, "too long: " + source.length() + " characters, at most " + MAX_LENGTH);
        }
        Vars vars = Vars.of(props);

        CelValidationResult parsed = CelSetup.parser().parse(source);
        if (parsed.hasError()) {
            throw Problems.rejected(source, parsed.getErrors());
        }
        CelAbstractSyntaxTree ast = ast(parsed);
        Inspection.checkCost(ast, vars.names().size(), source);

        CelAbstractSyntaxTree checked = IntLiterals.check(vars.compiler(), ast, !condition, source);
        CelType type = checked.getResultType();
        if (condition && !type.equals(SimpleType.BOOL)) {
            throw Problems.rejected(
                    source,
                    "must be a boolean condition, found " + CelTypes.format(type),
                    checked,
                    checked.getExpr().id());
        }
        if (!condition && !NUMERIC.contains(type)) {
            throw Problems.rejected(
                    source,
                    "must be a number, found " + CelTypes.format(type),
                    checked,
                    checked.getExpr().id());
        }
        int[] reads = Inspection.reads(checked, vars, source);

        CelRuntime.Program program;
        try {
            program = CelSetup.RUNTIME.createProgram(checked);
        } catch (CelEvaluationException e) {
            throw Problems.rejected(source, "cannot be evaluated: " + e.getMessage());
        }
        return new CelExpression(source, condition, program, vars, reads);
    }

    private static CelAbstractSyntaxTree ast(CelValidationResult result) {
        try {
            return result.getAst();
        } catch (CelValidationException e) {
            throw new IllegalStateException("parsed without errors but no tree", e);
        }
    }
}
