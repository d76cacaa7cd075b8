package org.dtlab.model.logic;

import org.dtlab.model.ValidationException;
import org.dtlab.model.expr.Expression;
import org.dtlab.model.expr.Expressions;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.spec.TwinType;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Compiles an operator definition against its twin type, once, when the definition is accepted:
 * expressions are parsed and type-checked, durations and indexes checked. Every problem is a {@link
 * ValidationException} naming the operator and the field (and for an expression, the position), so
 * a bad definition is a 400 and never fails at run time.
 *
 * <p>The original's operators keep their behaviour: an unknown implementation, or too few outputs,
 * is stored and does nothing.
 */
public final class Operators {

    /** Operators per type, and per twin of its own. */
    public static final int MAX_OPERATORS = 64;

    /** The longest {@code for} of an alarm or stale operator. */
    public static final Duration MAX_FOR = Duration.ofDays(366);

    public static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(7);
    public static final Set<String> SEVERITIES = Set.of("critical", "major", "minor", "warning");
    public static final String DEFAULT_SEVERITY = "major";

    private Operators() {}

    /** The implementations of this catalog (besides the original's six), in lower case. */
    public static final List<String> PROGRAMMABLE =
            List.of(
                    "expr",
                    "alarm",
                    "stale",
                    "delta",
                    "rate",
                    "integral",
                    "counter",
                    "ewma",
                    "window");

    public static Operator compile(OperatorSpec spec, TwinType type) {
        String implementation = spec.implementation().trim().toLowerCase(Locale.ROOT);
        Optional<BuiltinOperator> builtin = BuiltinOperator.forName(implementation);
        if (builtin.isPresent()) {
            // The original did not check these; an index outside the type wrote a property the
            // type does not have (issue 18), so they are refused like every other operator's.
            checkIndexes(spec, type);
            Expression gate = condition(spec, "when", spec.when(), type);
            return spec.output().size() < builtin.get().requiredOutputs()
                    ? new InertOperator(spec)
                    : new LegacyOperator(spec, gate, builtin.get());
        }
        if (!PROGRAMMABLE.contains(implementation)) {
            return new InertOperator(spec);
        }
        checkIndexes(spec, type);
        require(spec, !spec.output().isEmpty(), "output", "needs at least one index");
        require(spec, !spec.input().isEmpty(), "input", "needs at least one index");
        return switch (implementation) {
            case "expr" ->
                    new ExprOperator(
                            spec,
                            condition(spec, "when", spec.when(), type),
                            number(spec, "expr", required(spec, "expr", spec.expr()), type));
            case "alarm" ->
                    new AlarmOperator(
                            spec,
                            condition(spec, "when", required(spec, "when", spec.when()), type),
                            condition(spec, "clear", spec.clear(), type),
                            duration(spec, "for", spec.forDuration(), Duration.ZERO, MAX_FOR),
                            severity(spec));
            case "stale" ->
                    new StaleOperator(
                            spec,
                            condition(spec, "when", spec.when(), type),
                            duration(
                                    spec,
                                    "for",
                                    required(spec, "for", spec.forDuration()),
                                    Duration.ofSeconds(1),
                                    MAX_FOR),
                            severity(spec));
            case "window" -> {
                oneInput(spec);
                WindowOperator.Agg agg;
                try {
                    agg = WindowOperator.Agg.of(required(spec, "agg", spec.agg()));
                } catch (IllegalArgumentException e) {
                    throw invalid(
                            spec,
                            "agg",
                            "must be one of avg, min, max, sum, count, stddev, first, last");
                }
                yield new WindowOperator(
                        spec,
                        condition(spec, "when", spec.when(), type),
                        duration(
                                spec,
                                "size",
                                required(spec, "size", spec.size()),
                                MIN_WINDOW,
                                MAX_WINDOW),
                        agg);
            }
            default -> {
                oneInput(spec);
                ChangeOperator.Kind kind =
                        ChangeOperator.Kind.valueOf(implementation.toUpperCase(Locale.ROOT));
                double alpha = 0;
                if (kind == ChangeOperator.Kind.EWMA) {
                    require(
                            spec,
                            spec.params().size() == 1,
                            "params",
                            "must be [alpha], 0 < alpha <= 1");
                    alpha = spec.params().get(0);
                    require(
                            spec,
                            alpha > 0 && alpha <= 1,
                            "params",
                            "must be [alpha], 0 < alpha <= 1");
                }
                yield new ChangeOperator(
                        spec, condition(spec, "when", spec.when(), type), kind, alpha);
            }
        };
    }

    private static void checkIndexes(OperatorSpec spec, TwinType type) {
        int n = type.props().size();
        for (String field : List.of("input", "output")) {
            List<Integer> indexes = field.equals("input") ? spec.input() : spec.output();
            for (int i = 0; i < indexes.size(); i++) {
                Integer idx = indexes.get(i);
                if (idx == null || idx < 0 || idx >= n) {
                    throw invalid(
                            spec,
                            field,
                            "["
                                    + i
                                    + "] = "
                                    + idx
                                    + " is not a property of type "
                                    + type.name()
                                    + " (it has "
                                    + n
                                    + ")");
                }
            }
        }
    }

    private static void oneInput(OperatorSpec spec) {
        require(spec, spec.input().size() == 1, "input", "needs exactly one index");
    }

    private static String severity(OperatorSpec spec) {
        if (spec.severity() == null) {
            return DEFAULT_SEVERITY;
        }
        String severity = spec.severity().trim().toLowerCase(Locale.ROOT);
        require(
                spec,
                SEVERITIES.contains(severity),
                "severity",
                "must be one of critical, major, minor, warning");
        return severity;
    }

    private static long duration(
            OperatorSpec spec, String field, String text, Duration min, Duration max) {
        if (text == null) {
            return 0;
        }
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(
                    spec,
                    field,
                    "must be an ISO-8601 duration such as PT10M or P1D, not '" + text + "'");
        }
        require(
                spec,
                d.compareTo(min) >= 0 && d.compareTo(max) <= 0,
                field,
                "must be between " + iso(min) + " and " + iso(max) + ", not " + text);
        return d.toMillis();
    }

    /** {@code P7D} rather than {@code PT168H}: as a user would write it. */
    private static String iso(Duration d) {
        return d.toSeconds() % 86_400 == 0 && !d.isZero() ? "P" + d.toDays() + "D" : d.toString();
    }

    private static Expression number(
            OperatorSpec spec, String field, String source, TwinType type) {
        try {
            return Expressions.number(source, type.props());
        } catch (ValidationException e) {
            throw invalid(spec, field, e.getMessage());
        }
    }

    private static Expression condition(
            OperatorSpec spec, String field, String source, TwinType type) {
        if (source == null) {
            return null;
        }
        try {
            return Expressions.condition(source, type.props());
        } catch (ValidationException e) {
            throw invalid(spec, field, e.getMessage());
        }
    }

    private static String required(OperatorSpec spec, String field, String value) {
        require(
                spec,
                value != null && !value.isBlank(),
                field,
                "is required for " + spec.implementation());
        return value;
    }

    private static void require(OperatorSpec spec, boolean ok, String field, String what) {
        if (!ok) {
            throw invalid(spec, field, what);
        }
    }

    private static ValidationException invalid(OperatorSpec spec, String field, String what) {
        return new ValidationException("operator " + spec.name() + ": '" + field + "' " + what);
    }
}
