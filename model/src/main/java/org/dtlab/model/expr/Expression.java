package org.dtlab.model.expr;

/**
 * A compiled, type-checked expression over a twin type's properties.
 *
 * <p>Made by {@link Expressions#number} or {@link Expressions#condition} when a definition is
 * accepted, then evaluated once per telemetry or timer: evaluation never parses or type-checks
 * again. Instances are immutable and thread-safe (one instance can serve every parallel subtask of
 * a job), and evaluation never throws: a twin stream must not fail because one twin lacks a value,
 * so everything that cannot be computed comes back as NaN (or {@code null} from {@link #test}).
 */
public interface Expression {

    /** The text the expression was compiled from, as the user wrote it. */
    String source();

    /**
     * Evaluates a numeric expression (or a condition, as 1.0/0.0). Returns NaN when it cannot be
     * computed: a property without a value, division by zero, a non-finite result, any runtime
     * error. Never throws.
     */
    double evaluate(Bindings bindings);

    /**
     * For a condition: TRUE/FALSE, or null when it cannot be computed (same cases as {@link
     * #evaluate}). Never throws. For a numeric expression: whether its value is non-zero, or null
     * when it cannot be computed.
     */
    Boolean test(Bindings bindings);

    /**
     * The property indexes this expression reads (current or previous), so callers know its inputs:
     * distinct, ascending, a fresh copy on each call. An expression that reads {@code props} or
     * {@code prev} other than by a literal name (say {@code props[k]} in a comprehension, or {@code
     * size(props)}) reads every property.
     */
    int[] reads();
}
