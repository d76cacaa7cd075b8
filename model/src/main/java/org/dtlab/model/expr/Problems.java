package org.dtlab.model.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelSource;
import dev.cel.common.CelSourceLocation;
import org.dtlab.model.ValidationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The messages of a rejected expression, as a user reads them in an HTTP 400: {@code expression
 * 'tmp * 2': undeclared reference to 'tmp' at 1:1}. The reason is CEL's own text, trimmed of what
 * means nothing to a user (the container, the overload candidates, CEL's internal operator names);
 * the position is line:column, both from 1.
 */
final class Problems {

    private static final int MAX_ISSUES = 3;
    private static final int MAX_QUOTED = 80;
    private static final Pattern CONTAINER = Pattern.compile(" \\(in container '[^']*'\\)");
    private static final Pattern CANDIDATES =
            Pattern.compile(" \\(candidates: .*\\)$", Pattern.DOTALL);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern RECURSION =
            Pattern.compile("Expression recursion limit exceeded\\. limit: (\\d+)");

    /** ANTLR's list of the tokens that may start an operand, after "expecting". */
    private static final Pattern OPERAND_TOKENS =
            Pattern.compile("expecting \\{[^}]*IDENTIFIER[^}]*}");

    private static final Map<String, String> OPERATORS =
            Map.ofEntries(
                    Map.entry("'_+_'", "'+'"),
                    Map.entry("'_-_'", "'-'"),
                    Map.entry("'_*_'", "'*'"),
                    Map.entry("'_/_'", "'/'"),
                    Map.entry("'_%_'", "'%'"),
                    Map.entry("'-_'", "'-'"),
                    Map.entry("'_==_'", "'=='"),
                    Map.entry("'_!=_'", "'!='"),
                    Map.entry("'_<_'", "'<'"),
                    Map.entry("'_<=_'", "'<='"),
                    Map.entry("'_>_'", "'>'"),
                    Map.entry("'_>=_'", "'>='"),
                    Map.entry("'_&&_'", "'&&'"),
                    Map.entry("'_||_'", "'||'"),
                    Map.entry("'!_'", "'!'"),
                    Map.entry("'_?_:_'", "'? :'"),
                    Map.entry("'_[_]'", "'[]'"),
                    Map.entry("'@in'", "'in'"));

    private Problems() {}

    /** A rejection with a reason of our own. */
    static ValidationException rejected(String source, String reason) {
        return new ValidationException("expression '" + quote(source) + "': " + reason);
    }

    /** A rejection with a reason of our own, at the position of an expression node. */
    static ValidationException rejected(
            String source, String reason, CelAbstractSyntaxTree ast, long exprId) {
        return rejected(source, reason + at(location(ast.getSource(), exprId)));
    }

    /** A rejection with CEL's issues (parse or type-check errors). */
    static ValidationException rejected(String source, List<CelIssue> issues) {
        List<String> reasons = new ArrayList<>();
        for (CelIssue issue : issues) {
            if (reasons.size() == MAX_ISSUES) {
                reasons.add("and " + (issues.size() - MAX_ISSUES) + " more");
                break;
            }
            reasons.add(clean(issue.getMessage()) + at(issue.getSourceLocation()));
        }
        return rejected(source, String.join("; ", reasons));
    }

    /** Where an expression node starts in the source, or {@link CelSourceLocation#NONE}. */
    static CelSourceLocation location(CelSource source, long exprId) {
        Integer offset = source.getPositionsMap().get(exprId);
        if (offset == null) {
            return CelSourceLocation.NONE;
        }
        return source.getOffsetLocation(offset).orElse(CelSourceLocation.NONE);
    }

    /** " at line:column", both from 1 (CEL counts columns from 0), or "" without a position. */
    static String at(CelSourceLocation location) {
        if (location == null || location.getLine() < 1 || location.getColumn() < 0) {
            return "";
        }
        return " at " + location.getLine() + ":" + (location.getColumn() + 1);
    }

    static String clean(String message) {
        String text = CONTAINER.matcher(message).replaceAll("");
        text = CANDIDATES.matcher(text).replaceAll("");
        text = OPERAND_TOKENS.matcher(text).replaceAll("expecting an operand");
        text =
                RECURSION
                        .matcher(text)
                        .replaceAll(
                                "too deeply nested: more than $1 levels of parentheses, calls or"
                                        + " one chained operator");
        for (Map.Entry<String, String> operator : OPERATORS.entrySet()) {
            text = text.replace(operator.getKey(), operator.getValue());
        }
        return text;
    }

    /**
     * The source on one line, shortened: it is quoted in the message, the position points into it.
     */
    static String quote(String source) {
        String text = WHITESPACE.matcher(source.strip()).replaceAll(" ");
        return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED - 3) + "...";
    }
}
