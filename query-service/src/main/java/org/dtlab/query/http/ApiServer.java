package org.dtlab.query.http;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.dtlab.query.api.Answer;
import org.dtlab.query.api.ApiException;
import org.dtlab.query.api.Reply;
import org.dtlab.query.api.Request;
import org.dtlab.query.api.Resources;
import org.dtlab.query.api.RootPages;
import org.dtlab.query.api.RouteTable;
import org.dtlab.query.api.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP layer: Undertow, dispatch by the route tables ({@link Routes}), and what every route
 * shares — authentication, body size and content-type checks, error mapping (never a 500 for bad
 * input), counters. The resources behind it know nothing of Undertow.
 */
public final class ApiServer implements HttpHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final byte[] NO_BODY = new byte[0];

    /** The first path segments that name a route (anything else counts as "unknown"). */
    private static final Set<String> FAMILIES = Routes.API.families();

    /**
     * How long a connection may stall, and how many bodies may be received at once.
     *
     * @param readTimeoutMs a request whose headers or body stop arriving for this long is closed
     * @param idleTimeoutMs a keep-alive connection without a request for this long is closed
     */
    public record ConnectionLimits(int readTimeoutMs, int idleTimeoutMs, int maxPendingBodies) {}

    private final String prefix;
    private final BodyReception bodies;
    private final Set<String> tokens;
    private final Resources resources;
    private final Supplier<String> fitness;
    private final EventStreams streams;
    private final Metrics metrics = new Metrics();
    private final byte[] openApi;
    private final ExplorerFiles explorer;
    private final Undertow server;

    /**
     * @param fitness {@code null} when the service is fit, else why not (for {@code /fitness})
     */
    public ApiServer(
            String host,
            int port,
            String prefix,
            int maxBodyBytes,
            ConnectionLimits limits,
            Set<String> tokens,
            Resources resources,
            Supplier<String> fitness,
            EventStreams streams) {
        this.prefix = prefix;
        this.tokens = Set.copyOf(tokens);
        this.resources = resources;
        this.fitness = fitness;
        this.streams = streams;
        this.openApi = openApiDocument();
        this.explorer = new ExplorerFiles(prefix);
        this.bodies = new BodyReception(maxBodyBytes, limits.maxPendingBodies());
        this.server =
                Undertow.builder()
                        .addHttpListener(port, host)
                        // Undecoded, so that a bad escape gets a 400 that says so
                        // (PercentDecoding), not an empty one.
                        .setServerOption(UndertowOptions.DECODE_URL, false)
                        // A client that stops sending, in its headers or its body, is closed after
                        // the read timeout.
                        .setSocketOption(Options.READ_TIMEOUT, limits.readTimeoutMs())
                        .setServerOption(
                                UndertowOptions.REQUEST_PARSE_TIMEOUT, limits.readTimeoutMs())
                        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, limits.idleTimeoutMs())
                        .setServerOption(UndertowOptions.IDLE_TIMEOUT, limits.idleTimeoutMs())
                        .setHandler(this)
                        .build();
    }

    public ApiServer start() {
        server.start();
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /**
     * On an IO thread, where nothing may block: the path is decoded, the caller authenticated and
     * the body received without a thread of its own; then the request is handled on a worker, where
     * reads, JDBC and Kafka may block.
     */
    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String method = exchange.getRequestMethod().toString();
        Target target;
        try {
            target = target(exchange);
        } catch (ApiException e) {
            refuse(exchange, "unknown", e);
            return;
        }
        try {
            if (target.underPrefix()) {
                authenticate(exchange);
            }
        } catch (ApiException e) {
            refuse(exchange, target.route(), e);
            return;
        }
        if (!target.underPrefix() || !hasBody(method)) {
            exchange.dispatch(() -> handle(exchange, target, NO_BODY));
            return;
        }
        bodies.receive(
                exchange,
                (ex, body) -> ex.dispatch(() -> handle(ex, target, body)),
                (ex, e) -> refuse(ex, target.route(), e));
    }

    /**
     * What a request is for: a root route (its raw segments: the root's paths are fixed, so nothing
     * there is decoded), or the segments under the prefix and their query.
     */
    private record Target(
            String path,
            List<String> rootSegments,
            boolean underPrefix,
            List<String> segments,
            Map<String, String> query) {

        boolean root() {
            return Routes.ROOT.knows(rootSegments);
        }

        /** The name the request is counted under ({@code /observe}). */
        String route() {
            if (root()) {
                return rootSegments.get(0).replace(".yaml", "");
            }
            return underPrefix && FAMILIES.contains(segments.get(0)) ? segments.get(0) : "unknown";
        }
    }

    private Target target(HttpServerExchange exchange) {
        String path = RequestPaths.trimmed(exchange.getRequestPath());
        List<String> rootSegments = RequestPaths.rawSegments(path);
        if (!path.startsWith(prefix + "/") || isExplorers(rootSegments)) {
            return new Target(path, rootSegments, false, List.of(), Map.of());
        }
        List<String> segments = RequestPaths.segments(path.substring(prefix.length() + 1));
        return new Target(path, rootSegments, true, segments, query(exchange));
    }

    /** The explorer's paths are its own, even under a prefix of {@code /ui}. */
    private static boolean isExplorers(List<String> rootSegments) {
        return rootSegments.get(0).equals("ui");
    }

    private void handle(HttpServerExchange exchange, Target target, byte[] body) {
        String method = exchange.getRequestMethod().toString();
        Answer answer;
        try {
            if (target.root()) {
                answer =
                        Routes.ROOT.answer(
                                new Pages(exchange),
                                new Request(method, target.rootSegments(), Map.of(), NO_BODY),
                                RouteTable.ChildTypes.NONE);
            } else if (target.underPrefix()) {
                checkContentType(exchange, body);
                answer =
                        Routes.API.answer(
                                resources,
                                new Request(method, target.segments(), target.query(), body),
                                resources.childTypes());
            } else {
                answer = Reply.status(404);
            }
        } catch (ApiException e) {
            answer = e.reply();
        } catch (SQLException e) {
            // Reads come from the database only: while it is down or slow, say so at once.
            LOG.warn(
                    "{} {}: the journal database failed: {}",
                    method,
                    target.path(),
                    e.getMessage());
            answer = Reply.text(503, "the journal database does not answer; retry later");
        } catch (Exception e) {
            LOG.error("{} {} failed", method, target.path(), e);
            answer = Reply.text(500, "internal error; the server log has the details");
        }
        if (answer instanceof Answer.Stream stream) {
            try {
                streams.open(exchange, stream.filter());
                metrics.count(target.route(), method, 200);
                return; // the exchange stays open: the stream writes from here on
            } catch (ApiException e) {
                answer = e.reply(); // too many streams: a 503 like any other answer
            }
        }
        Reply reply = (Reply) answer;
        metrics.count(target.route(), method, reply.status());
        send(exchange, reply);
    }

    /** The server's own pages, for one request ({@code /observe} authenticates it). */
    private final class Pages implements RootPages {

        private final HttpServerExchange exchange;

        Pages(HttpServerExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public Reply observe(Request request) {
            authenticate(exchange);
            return new Reply(
                    200,
                    "text/plain; version=0.0.4; charset=utf-8",
                    metrics.render().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public Reply fitness(Request request) {
            String problem = fitness.get();
            return problem == null ? Reply.text(200, "ok") : Reply.text(503, problem);
        }

        @Override
        public Reply openApi(Request request) {
            return new Reply(200, "application/yaml", openApi);
        }

        @Override
        public Reply explorerPage(Request request) {
            return explorer.reply("index.html");
        }

        @Override
        public Reply explorerFile(Request request) {
            return explorer.reply(request.param("file"));
        }
    }

    private void authenticate(HttpServerExchange exchange) {
        if (tokens.isEmpty()) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null
                || !header.startsWith("Bearer ")
                || !tokens.contains(header.substring(7).strip())) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
            throw new ApiException(
                    401, "a valid bearer token is required (Authorization: Bearer <token>)");
        }
    }

    private static boolean hasBody(String method) {
        return !(method.equals("GET") || method.equals("DELETE") || method.equals("HEAD"));
    }

    private static void checkContentType(HttpServerExchange exchange, byte[] body) {
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (body.length > 0 && !isJson(contentType)) {
            throw new ApiException(
                    415, "The request's Content-Type is not supported. Expected: application/json");
        }
    }

    /** Answers a request refused before its body was used: the connection closes. */
    private void refuse(HttpServerExchange exchange, String route, ApiException e) {
        metrics.count(route, exchange.getRequestMethod().toString(), e.status());
        exchange.setPersistent(false);
        if (e.status() == 503) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
        }
        send(exchange, e.reply());
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";")[0].strip().toLowerCase();
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static Map<String, String> query(HttpServerExchange exchange) {
        Map<String, String> query = new HashMap<>();
        for (Map.Entry<String, Deque<String>> parameter :
                exchange.getQueryParameters().entrySet()) {
            String name = RequestPaths.decode(parameter.getKey(), "the query", true);
            query.put(
                    name,
                    RequestPaths.decode(
                            parameter.getValue().peekFirst(),
                            "query parameter '" + name + "'",
                            true));
        }
        return query;
    }

    private static void send(HttpServerExchange exchange, Reply reply) {
        exchange.setStatusCode(reply.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, reply.contentType());
        exchange.getResponseHeaders().put(new HttpString("Cache-Control"), "no-store");
        exchange.getResponseSender().send(ByteBuffer.wrap(reply.body()));
    }

    private static byte[] openApiDocument() {
        try (InputStream in = ApiServer.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
