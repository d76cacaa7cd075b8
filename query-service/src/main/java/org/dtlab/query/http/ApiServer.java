package org.dtlab.query.http;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.dtlab.query.api.ActorResource;
import org.dtlab.query.api.AlarmResource;
import org.dtlab.query.api.ApiException;
import org.dtlab.query.api.IngestResource;
import org.dtlab.query.api.Reply;
import org.dtlab.query.api.Request;
import org.dtlab.query.api.SpecResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP layer: Undertow, routing, and what every route shares — authentication, body size and
 * content-type checks, error mapping (never a 500 for bad input), counters. The resources behind it
 * know nothing of Undertow.
 */
public final class ApiServer implements HttpHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final byte[] NO_BODY = new byte[0];
    /** The first path segments that name a route (anything else counts as "unknown"). */
    private static final Set<String> ROUTES = Set.of("type", "webhook", "extractor", "actor", "alarm", "ingest");

    private final String prefix;
    private final int maxBodyBytes;
    private final Set<String> tokens;
    private final SpecResources specs;
    private final ActorResource actors;
    private final AlarmResource alarms;
    private final IngestResource ingest;
    private final Supplier<String> fitness;
    private final Metrics metrics = new Metrics();
    private final byte[] openApi;
    private final Undertow server;

    /**
     * @param fitness {@code null} when the service is fit, else why not (for {@code /fitness})
     */
    public ApiServer(
            String host,
            int port,
            String prefix,
            int maxBodyBytes,
            Set<String> tokens,
            SpecResources specs,
            ActorResource actors,
            AlarmResource alarms,
            IngestResource ingest,
            Supplier<String> fitness) {
        this.prefix = prefix;
        this.maxBodyBytes = maxBodyBytes;
        this.tokens = Set.copyOf(tokens);
        this.specs = specs;
        this.actors = actors;
        this.alarms = alarms;
        this.ingest = ingest;
        this.fitness = fitness;
        this.openApi = openApiDocument();
        this.server = Undertow.builder().addHttpListener(port, host).setHandler(this).build();
    }

    public ApiServer start() {
        server.start();
        return this;
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this); // reads, JDBC and Kafka block: never on an IO thread
            return;
        }
        exchange.startBlocking();
        String path = exchange.getRequestPath();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String method = exchange.getRequestMethod().toString();
        String route = "unknown";
        Reply reply;
        try {
            if (path.equals("/fitness") || path.equals("/openapi.yaml") || path.equals("/observe")) {
                route = path.substring(1).replace(".yaml", "");
                reply = root(exchange, path, method);
            } else if (path.startsWith(prefix + "/")) {
                List<String> segments = segments(path.substring(prefix.length() + 1));
                route = ROUTES.contains(segments.get(0)) ? segments.get(0) : "unknown";
                authenticate(exchange);
                reply = dispatch(new Request(method, segments, query(exchange), body(exchange, method)));
            } else {
                reply = Reply.status(404);
            }
        } catch (ApiException e) {
            reply = e.reply();
        } catch (Exception e) {
            LOG.error("{} {} failed", method, path, e);
            reply = Reply.text(500, "internal error: " + e.getClass().getSimpleName());
        }
        metrics.count(route, method, reply.status());
        send(exchange, reply);
    }

    private Reply dispatch(Request request) throws Exception {
        return switch (request.segments().get(0)) {
            case "type" -> specs.types(request);
            case "webhook" -> specs.webhooks(request);
            case "extractor" -> specs.extractors(request);
            case "actor" -> actors.handle(request);
            case "alarm" -> alarms.handle(request);
            case "ingest" -> ingest.handle(request);
            default -> Reply.status(404);
        };
    }

    private Reply root(HttpServerExchange exchange, String path, String method) {
        if (!method.equals("GET")) {
            return Reply.text(405, "HTTP method not allowed, supported methods: GET");
        }
        return switch (path) {
            case "/fitness" -> {
                String problem = fitness.get();
                yield problem == null ? Reply.text(200, "ok") : Reply.text(503, problem);
            }
            case "/openapi.yaml" -> new Reply(200, "application/yaml", openApi);
            default -> {
                authenticate(exchange);
                yield new Reply(200, "text/plain; version=0.0.4; charset=utf-8", metrics.render().getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private void authenticate(HttpServerExchange exchange) {
        if (tokens.isEmpty()) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
        if (header == null || !header.startsWith("Bearer ") || !tokens.contains(header.substring(7).strip())) {
            exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
            throw new ApiException(401, "a valid bearer token is required (Authorization: Bearer <token>)");
        }
    }

    private byte[] body(HttpServerExchange exchange, String method) throws IOException {
        if (method.equals("GET") || method.equals("DELETE") || method.equals("HEAD")) {
            return NO_BODY;
        }
        long declared = exchange.getRequestContentLength();
        if (declared > maxBodyBytes) {
            throw new ApiException(413, "request body of " + declared + " bytes exceeds the limit of " + maxBodyBytes + " bytes");
        }
        byte[] body;
        try (InputStream in = exchange.getInputStream()) {
            body = in.readNBytes(maxBodyBytes + 1);
        }
        if (body.length > maxBodyBytes) {
            throw new ApiException(413, "request body exceeds the limit of " + maxBodyBytes + " bytes");
        }
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (body.length > 0 && !isJson(contentType)) {
            throw new ApiException(415, "The request's Content-Type is not supported. Expected: application/json");
        }
        return body;
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";")[0].strip().toLowerCase();
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static List<String> segments(String rest) {
        List<String> segments = new ArrayList<>(List.of(rest.split("/", -1)));
        if (segments.get(0).isEmpty()) {
            throw new ApiException(404, "The requested resource could not be found.");
        }
        return segments;
    }

    private static Map<String, String> query(HttpServerExchange exchange) {
        Map<String, String> query = new HashMap<>();
        for (Map.Entry<String, Deque<String>> parameter : exchange.getQueryParameters().entrySet()) {
            query.put(parameter.getKey(), parameter.getValue().peekFirst());
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
