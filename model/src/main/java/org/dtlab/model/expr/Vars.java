package org.dtlab.model.expr;

import dev.cel.compiler.CelCompiler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A twin type's properties as expressions see them: every name with its index (for {@code
 * props[...]} and {@code prev[...]}), the subset that are CEL variables, and the compiler that
 * declares those variables.
 *
 * <p>Immutable. One per distinct property list, cached (a type's expressions are compiled together,
 * and a copy of the compiler costs a few milliseconds).
 */
final class Vars {

    private static final Pattern IDENTIFIER = Pattern.compile("[_a-zA-Z][_a-zA-Z0-9]*");

    /** CEL's reserved words (the parser rejects them as identifiers) and our own variables. */
    private static final Set<String> RESERVED =
            Set.of(
                    "as",
                    "break",
                    "const",
                    "continue",
                    "else",
                    "false",
                    "for",
                    "function",
                    "if",
                    "import",
                    "in",
                    "let",
                    "loop",
                    "package",
                    "namespace",
                    "null",
                    "return",
                    "true",
                    "var",
                    "void",
                    "while",
                    CelSetup.PROPS,
                    CelSetup.PREV,
                    CelSetup.TIME);

    private static final int CACHED = 64;
    private static final Map<List<String>, Vars> CACHE =
            new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<List<String>, Vars> eldest) {
                    return size() > CACHED;
                }
            };

    private final List<String> names;
    private final Map<String, Integer> byName;
    private final Map<String, Integer> variables;
    private final int[] distinct;
    private final CelCompiler compiler;

    private Vars(List<String> names) {
        this.names = names;
        Map<String, Integer> all = new HashMap<>();
        Map<String, Integer> idents = new HashMap<>();
        for (int idx = 0; idx < names.size(); idx++) {
            String name = names.get(idx);
            if (all.putIfAbsent(name, idx) == null && isVariable(name)) {
                idents.put(name, idx);
            }
        }
        this.distinct = all.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        this.byName = Collections.unmodifiableMap(all);
        this.variables = Collections.unmodifiableMap(idents);
        this.compiler = CelSetup.compiler(new ArrayList<>(idents.keySet()));
    }

    static Vars of(List<String> props) {
        Objects.requireNonNull(props, "props");
        List<String> names = List.copyOf(props); // also rejects null names
        synchronized (CACHE) {
            Vars cached = CACHE.get(names);
            if (cached != null) {
                return cached;
            }
        }
        Vars vars = new Vars(names);
        synchronized (CACHE) {
            CACHE.putIfAbsent(names, vars);
        }
        return vars;
    }

    /** Whether a property of this name is a variable: a CEL identifier, not reserved. */
    static boolean isVariable(String name) {
        return IDENTIFIER.matcher(name).matches() && !RESERVED.contains(name);
    }

    List<String> names() {
        return names;
    }

    /** The index of the property of this name, or null. */
    Integer index(String name) {
        return byName.get(name);
    }

    /** The index of the property that is the variable of this name, or null. */
    Integer variable(String name) {
        return variables.get(name);
    }

    /** The index of each distinct name (its first occurrence), ascending. Do not modify. */
    int[] distinct() {
        return distinct;
    }

    CelCompiler compiler() {
        return compiler;
    }
}
