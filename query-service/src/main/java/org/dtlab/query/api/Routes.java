package org.dtlab.query.api;

import java.util.List;

/**
 * Every route of the API, as documented in {@code openapi.yaml} (a test keeps the two equal, and
 * checks that each route answers). {@code {path}} spans several segments: a twin path of 1–10
 * type/instance levels — or, for a GET, a type container path (a twin path followed by a type),
 * which lists the container's instances.
 */
public final class Routes {

    /** A method on a path template. */
    public record Route(String method, String template) {}

    public static final List<Route> ALL =
            List.of(
                    new Route("GET", "/type"),
                    new Route("GET", "/type/{name}"),
                    new Route("POST", "/type/{name}"),
                    new Route("DELETE", "/type/{name}"),
                    new Route("GET", "/webhook"),
                    new Route("GET", "/webhook/{name}"),
                    new Route("POST", "/webhook/{name}"),
                    new Route("DELETE", "/webhook/{name}"),
                    new Route("GET", "/webhook/{name}/deadletters"),
                    new Route("POST", "/webhook/{name}/deadletters/resend"),
                    new Route("GET", "/actor/{path}"),
                    new Route("POST", "/actor/{path}"),
                    new Route("DELETE", "/actor/{path}"),
                    new Route("GET", "/actor/{path}/operator"),
                    new Route("POST", "/actor/{path}/operator"),
                    new Route("DELETE", "/actor/{path}/operator"),
                    new Route("GET", "/actor/{path}/series"),
                    new Route("GET", "/actor/{path}/stream"),
                    new Route("GET", "/stream"),
                    new Route("GET", "/alarm/{type}"),
                    new Route("GET", "/alarm/{path}"),
                    new Route("GET", "/extractor/object/{specId}"),
                    new Route("POST", "/extractor/object/{specId}"),
                    new Route("DELETE", "/extractor/object/{specId}"),
                    new Route("GET", "/extractor/telemetry/{specId}"),
                    new Route("POST", "/extractor/telemetry/{specId}"),
                    new Route("DELETE", "/extractor/telemetry/{specId}"),
                    new Route("POST", "/ingest/telemetry/{specId}"),
                    new Route("POST", "/ingest/array/{specId}"));

    /** Routes at the server root, outside the prefix. */
    public static final List<Route> ROOT =
            List.of(
                    new Route("GET", "/observe"),
                    new Route("GET", "/fitness"),
                    new Route("GET", "/openapi.yaml"),
                    new Route("GET", "/ui"),
                    new Route("GET", "/ui/{file}"));

    private Routes() {}
}
