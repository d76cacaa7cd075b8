package org.dtlab.query.api;

import org.dtlab.model.telemetry.TwinPath;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Routes, declared once: the dispatcher matches requests with them and a test compares them with
 * {@code openapi.yaml}. Matching a path is a pure function of the path, the method and which child
 * types the types declare ({@link #match}); {@link #answer} then runs the endpoint's check and the
 * route's handler.
 *
 * <p>A path that no template matches is a 404, or a 400 when it is longer than any twin path in a
 * family of twin paths ({@code /actor}, {@code /alarm}). A matched path without a route for the
 * method is a 405 naming the methods it has.
 *
 * @param <C> what the handlers are given to answer with
 */
public final class RouteTable<C> {

    /** Whether type {@code type} declares children of type {@code child} (the registry knows). */
    @FunctionalInterface
    public interface ChildTypes {

        ChildTypes NONE = (type, child) -> false;

        boolean declares(String type, String child);
    }

    /**
     * A path matched to an endpoint: a request to it has one of the endpoint's routes, or a 405.
     */
    public record Match<C>(Endpoint<C> endpoint, Params params) {

        public Optional<Route<C>> route(String method) {
            return endpoint.route(method, params);
        }

        public List<String> allowed() {
            return endpoint.methods(params);
        }
    }

    private final List<Endpoint<C>> endpoints;
    private final Set<String> methodFirst;

    /**
     * @param methodFirst families whose every path, routed or not, answers a method none of their
     *     routes has with a 405 before the path is looked at (the original's {@code /alarm} did)
     */
    public RouteTable(List<Endpoint<C>> endpoints, Set<String> methodFirst) {
        Set<String> templates = new LinkedHashSet<>();
        for (Endpoint<C> endpoint : endpoints) {
            if (!templates.add(endpoint.template())) {
                throw new IllegalArgumentException("two endpoints " + endpoint.template());
            }
        }
        this.endpoints = List.copyOf(endpoints);
        this.methodFirst = Set.copyOf(methodFirst);
    }

    /** Every route, in the order declared. */
    public List<Route<C>> routes() {
        List<Route<C>> routes = new ArrayList<>();
        endpoints.forEach(e -> routes.addAll(e.routes()));
        return List.copyOf(routes);
    }

    /** The first segments of the templates: what a request is counted under. */
    public Set<String> families() {
        Set<String> families = new LinkedHashSet<>();
        endpoints.forEach(e -> families.add(e.family()));
        return families;
    }

    /** Whether some template matches {@code segments}, whatever the method. */
    public boolean knows(List<String> segments) {
        return find(segments, ChildTypes.NONE) != null;
    }

    /**
     * The endpoint a path's segments match, and the parameters.
     *
     * @throws ApiException 404 when no template matches, 400 when the path is longer than any
     *     twin's, 405 in a method-first family
     */
    public Match<C> match(String method, List<String> segments, ChildTypes childTypes) {
        String family = segments.isEmpty() ? "" : segments.get(0);
        if (methodFirst.contains(family)) {
            List<String> allowed = methodsOf(family);
            if (!allowed.contains(method)) {
                throw methodNotAllowed(allowed);
            }
        }
        Match<C> match = find(segments, childTypes);
        if (match != null) {
            return match;
        }
        int spanned = segments.size() - 1;
        if (spanned > Endpoint.MAX_PATH_SEGMENTS
                && endpoints.stream().anyMatch(e -> e.family().equals(family) && e.hasTwinPath())) {
            throw tooLong(spanned);
        }
        throw new ApiException(404, "The requested resource could not be found.");
    }

    /**
     * Answers a request: its match, the endpoint's check, then the route for its method (else a
     * 405).
     */
    public Answer answer(C context, Request request, ChildTypes childTypes) throws Exception {
        Match<C> match = match(request.method(), request.segments(), childTypes);
        Request matched = request.withParams(match.params());
        match.endpoint().check(context, matched);
        Route<C> route =
                match.route(request.method()).orElseThrow(() -> methodNotAllowed(match.allowed()));
        return route.handler().handle(context, matched);
    }

    /** Twin paths first, in the order declared; a type container only when no twin path fits. */
    private Match<C> find(List<String> segments, ChildTypes childTypes) {
        for (Endpoint<C> endpoint : endpoints) {
            Params params = endpoint.match(segments, childTypes);
            if (params != null) {
                return new Match<>(endpoint, params);
            }
        }
        for (Endpoint<C> endpoint : endpoints) {
            Params params = endpoint.matchContainer(segments);
            if (params != null) {
                return new Match<>(endpoint, params);
            }
        }
        return null;
    }

    private List<String> methodsOf(String family) {
        Set<String> methods = new LinkedHashSet<>();
        endpoints.stream()
                .filter(e -> e.family().equals(family))
                .forEach(e -> e.routes().forEach(r -> methods.add(r.method())));
        return List.copyOf(methods);
    }

    static ApiException methodNotAllowed(List<String> allowed) {
        return new ApiException(
                405, "HTTP method not allowed, supported methods: " + String.join(", ", allowed));
    }

    /** The 400 for a path longer than any twin's (docs/api.md, bad input). */
    static ApiException tooLong(int segments) {
        return new ApiException(
                400,
                "a twin path has 1 to "
                        + TwinPath.MAX_LEVELS
                        + " levels of type/instance (at most "
                        + Endpoint.MAX_PATH_SEGMENTS
                        + " segments), got "
                        + segments
                        + " segments");
    }
}
