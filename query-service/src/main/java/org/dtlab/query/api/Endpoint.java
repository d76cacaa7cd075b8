package org.dtlab.query.api;

import org.dtlab.model.telemetry.TwinPath;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One path template of a {@link RouteTable} with its routes (a handler per method), what is checked
 * before the method is looked at, and options for {@code {path}}.
 *
 * <p>A template is {@code /}-separated segments: a literal, {@code {path}} (a twin path of 1 to
 * {@value TwinPath#MAX_LEVELS} type/instance levels: an even number of segments), {@code {file}}
 * (the rest of the path, one or more segments) or any other {@code {name}} (exactly one segment,
 * possibly empty: its resource says what a bad one is). The first segment is a literal: the route's
 * family, which it is counted under.
 *
 * @param <C> what the handlers are given to answer with
 */
public final class Endpoint<C> {

    /** What a twin path may span: 1 to 10 levels of type/instance. */
    static final int MAX_PATH_SEGMENTS = 2 * TwinPath.MAX_LEVELS;

    private static final String PATH = "{path}";
    private static final String FILE = "{file}";

    /** How {@code {path}} matches, beyond a twin path. */
    public enum Option {
        /**
         * For a GET, {@code {path}} (the template's last segment) also matches a type container: a
         * twin path followed by a type, or a type alone, whose instances the GET lists. It is tried
         * after every template has failed to match a twin path.
         */
        TYPE_CONTAINERS,
        /**
         * The literal after {@code {path}} gives way when the twin's type declares children of a
         * type of that name: then the path is the container of those children, as it always was.
         * For routes added to the original's ({@code series}, {@code stream}), so that they take
         * over only paths that were a 404 and no type name is reserved (decisions §25).
         */
        GIVES_WAY_TO_CHILDREN
    }

    private final String template;
    private final List<String> elements;

    /** The index of {@code {path}} or {@code {file}} in {@link #elements}, or -1. */
    private final int spanning;

    private final List<Route<C>> routes;
    private final Route.Check<C> check;
    private final Set<Option> options;

    private Endpoint(
            String template, List<Route<C>> routes, Route.Check<C> check, Set<Option> options) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a template starts with /: " + template);
        }
        this.template = template;
        this.elements = List.of(template.substring(1).split("/", -1));
        int found = -1;
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i).equals(PATH) || elements.get(i).equals(FILE)) {
                if (found >= 0) {
                    throw new IllegalArgumentException("two spanning parameters in " + template);
                }
                found = i;
            }
        }
        this.spanning = found;
        if (isParameter(elements.get(0))) {
            throw new IllegalArgumentException("a template starts with a literal: " + template);
        }
        if (options.contains(Option.TYPE_CONTAINERS)
                && !(spanning == elements.size() - 1 && elements.get(spanning).equals(PATH))) {
            throw new IllegalArgumentException("type containers need {path} last: " + template);
        }
        if (options.contains(Option.GIVES_WAY_TO_CHILDREN)
                && !(spanning >= 0
                        && spanning == elements.size() - 2
                        && elements.get(spanning).equals(PATH)
                        && !isParameter(elements.get(spanning + 1)))) {
            throw new IllegalArgumentException(
                    "giving way needs {path} followed by a literal: " + template);
        }
        this.routes = List.copyOf(routes);
        this.check = check;
        this.options = options.isEmpty() ? Set.of() : Set.copyOf(options);
    }

    /** An endpoint without routes yet. */
    public static <C> Endpoint<C> at(String template) {
        return new Endpoint<>(template, List.of(), (context, request) -> {}, Set.of());
    }

    public Endpoint<C> get(Route.Handler<C> handler) {
        return route("GET", handler);
    }

    public Endpoint<C> post(Route.Handler<C> handler) {
        return route("POST", handler);
    }

    public Endpoint<C> delete(Route.Handler<C> handler) {
        return route("DELETE", handler);
    }

    /** A GET answered by a method of one of the context's resources. */
    public <R> Endpoint<C> get(Function<C, R> resource, Route.Handler<R> handler) {
        return get(bind(resource, handler));
    }

    public <R> Endpoint<C> post(Function<C, R> resource, Route.Handler<R> handler) {
        return post(bind(resource, handler));
    }

    public <R> Endpoint<C> delete(Function<C, R> resource, Route.Handler<R> handler) {
        return delete(bind(resource, handler));
    }

    private Endpoint<C> route(String method, Route.Handler<C> handler) {
        if (route(method).isPresent()) {
            throw new IllegalArgumentException("two " + method + " routes on " + template);
        }
        List<Route<C>> more = new ArrayList<>(routes);
        more.add(new Route<>(method, template, handler));
        return new Endpoint<>(template, more, check, options);
    }

    /**
     * Checks every request matched to a twin path of this template before its method is looked at:
     * a bad parameter is a 400 (or 404) whatever the method, as the original answered.
     */
    public <R> Endpoint<C> checkedFirst(Function<C, R> resource, Route.Check<R> first) {
        return new Endpoint<>(
                template,
                routes,
                (context, request) -> first.check(resource.apply(context), request),
                options);
    }

    public Endpoint<C> with(Option option) {
        Set<Option> more = EnumSet.of(option);
        more.addAll(options);
        return new Endpoint<>(template, routes, check, more);
    }

    public String template() {
        return template;
    }

    public List<Route<C>> routes() {
        return routes;
    }

    /** The route for {@code method}, when a request to these parameters may use it. */
    Optional<Route<C>> route(String method, Params params) {
        return routesFor(params).stream().filter(r -> r.method().equals(method)).findFirst();
    }

    /** The methods a request to these parameters may use, in the order they were declared. */
    List<String> methods(Params params) {
        return routesFor(params).stream().map(Route::method).toList();
    }

    String family() {
        return elements.get(0);
    }

    boolean hasTwinPath() {
        return elements.contains(PATH);
    }

    void check(C context, Request request) throws Exception {
        if (!request.params().typeContainer()) { // a container's listing checks its types itself
            check.check(context, request);
        }
    }

    /** The parameters of {@code segments} read as a twin path (or no {@code {path}}), or null. */
    Params match(List<String> segments, RouteTable.ChildTypes childTypes) {
        Params params = read(segments, false);
        if (params == null || !options.contains(Option.GIVES_WAY_TO_CHILDREN)) {
            return params;
        }
        List<String> path = params.path();
        String lastType = path.get(path.size() - 2);
        return childTypes.declares(lastType, elements.get(spanning + 1)) ? null : params;
    }

    /** The parameters of {@code segments} read as a type container path, or null. */
    Params matchContainer(List<String> segments) {
        return options.contains(Option.TYPE_CONTAINERS) ? read(segments, true) : null;
    }

    private Params read(List<String> segments, boolean container) {
        int fixed = spanning < 0 ? elements.size() : elements.size() - 1;
        int spanned = segments.size() - fixed;
        if (spanning < 0 ? spanned != 0 : !spans(elements.get(spanning), spanned, container)) {
            return null;
        }
        Map<String, String> values = new HashMap<>();
        List<String> path = List.of();
        int at = 0;
        for (int i = 0; i < elements.size(); i++) {
            String element = elements.get(i);
            if (i == spanning) {
                List<String> part = segments.subList(at, at + spanned);
                if (element.equals(PATH)) {
                    path = part;
                } else {
                    values.put(name(element), String.join("/", part));
                }
                at += spanned;
            } else if (isParameter(element)) {
                values.put(name(element), segments.get(at++));
            } else if (!element.equals(segments.get(at++))) {
                return null;
            }
        }
        return new Params(values, path, container);
    }

    private static boolean spans(String element, int segments, boolean container) {
        if (element.equals(FILE)) {
            return segments >= 1;
        }
        return container
                ? segments % 2 == 1 && segments < MAX_PATH_SEGMENTS
                : segments % 2 == 0 && segments >= 2 && segments <= MAX_PATH_SEGMENTS;
    }

    private List<Route<C>> routesFor(Params params) {
        return params.typeContainer()
                ? routes.stream().filter(r -> r.method().equals("GET")).toList()
                : routes;
    }

    private Optional<Route<C>> route(String method) {
        return routes.stream().filter(r -> r.method().equals(method)).findFirst();
    }

    private static <C, R> Route.Handler<C> bind(Function<C, R> resource, Route.Handler<R> handler) {
        return (context, request) -> handler.handle(resource.apply(context), request);
    }

    private static boolean isParameter(String element) {
        return element.startsWith("{") && element.endsWith("}");
    }

    private static String name(String parameter) {
        return parameter.substring(1, parameter.length() - 1);
    }

    @Override
    public String toString() {
        return template + " " + routes.stream().map(Route::method).toList();
    }
}
