package org.dtlab.query.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.dtlab.model.ValidationException;
import org.dtlab.model.control.Registry;
import org.dtlab.model.logic.CompiledType;
import org.dtlab.model.logic.Operators;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.telemetry.Telemetry;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.model.telemetry.TwinPath;
import org.dtlab.query.history.JournalHistory;
import org.dtlab.query.store.TwinStore;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /actor/…}: twin state, telemetry, journal, child listings and per-twin operators, with the
 * original's path dispatch: an even number of segments (2–20) is a twin, an odd number (1–19) a
 * type container whose instances are listed, and a twin path followed by {@code operator} its
 * operators.
 */
public final class ActorResource {

    private static final int MAX_SEGMENTS = 2 * TwinPath.MAX_LEVELS;

    /**
     * The last segment of a twin's series route, unless its type declares children of a type of
     * that name.
     */
    static final String SERIES = "series";

    private final Commands commands;
    private final TwinStore store;
    private final HistoryResource history;

    public ActorResource(Commands commands, TwinStore store, JournalHistory history) {
        this.commands = commands;
        this.store = store;
        this.history = new HistoryResource(history);
    }

    public Reply handle(Request request) throws SQLException {
        List<String> s = request.segments().subList(1, request.segments().size());
        int n = s.size();
        if (n >= 3
                && s.get(n - 1).equals("operator")
                && (n - 1) % 2 == 0
                && n - 1 <= MAX_SEGMENTS) {
            return operators(request, path(s.subList(0, n - 1)));
        }
        if (n >= 3
                && s.get(n - 1).equals(SERIES)
                && (n - 1) % 2 == 0
                && n - 1 <= MAX_SEGMENTS
                && !declaresChild(s.get(n - 3), SERIES)) {
            TwinPath path = path(s.subList(0, n - 1));
            return history.series(request, path, resolve(path, 404));
        }
        if (n >= 2 && n % 2 == 0 && n <= MAX_SEGMENTS) {
            TwinPath path = path(s);
            return switch (request.method()) {
                case "GET" ->
                        HistoryResource.asksForHistory(request)
                                ? history.past(request, path, resolve(path, 404))
                                : request.query("limit") != null
                                        ? journal(request, path)
                                        : state(request, path);
                case "POST" -> telemetry(request, path);
                case "DELETE" -> Reply.status(501);
                default -> throw SpecResources.methodNotAllowed("GET, POST, DELETE");
            };
        }
        if (n >= 1 && n % 2 == 1 && n < MAX_SEGMENTS) {
            SpecResources.requireMethod(request, "GET");
            return children(s);
        }
        if (n > MAX_SEGMENTS) {
            throw tooLong(n);
        }
        throw new ApiException(404, "The requested resource could not be found.");
    }

    /**
     * Whether {@code type} has children of type {@code child}: then {@code …/{child}} lists them,
     * as it always did, and is not one of the routes added under a twin ({@code series}, {@code
     * stream}). Without such children the path was a 404, so taking it over breaks no client, and
     * no type name has to be reserved (decisions §25).
     */
    boolean declaresChild(String type, String child) {
        return commands.registry().type(type).map(t -> t.hasChild(child)).orElse(false);
    }

    /** The 400 for a path longer than any twin's (docs/api.md, bad input). */
    static ApiException tooLong(int segments) {
        return new ApiException(
                400,
                "a twin path has 1 to "
                        + TwinPath.MAX_LEVELS
                        + " levels of type/instance (at most "
                        + MAX_SEGMENTS
                        + " segments), got "
                        + segments
                        + " segments");
    }

    private Reply state(Request request, TwinPath path) throws SQLException {
        TwinType type = resolve(path, 404);
        List<Telemetry> state =
                store.twin(path.toString()).map(TwinStore.TwinRow::state).orElse(List.of());
        return Reply.json(
                200, StateFormats.format(request.query("format"), state, type, path, true));
    }

    /** {@code ?limit=L[&offset=O]}: a slice of the journal, newest first (dtlab-api.md §7). */
    private Reply journal(Request request, TwinPath path) throws SQLException {
        TwinType type = resolve(path, 404);
        long limit = nonNegative(request, "limit");
        long offset = request.query("offset") == null ? 0 : nonNegative(request, "offset");
        if (limit == 0) {
            return Reply.json(200, List.of());
        }
        long last = store.journalLength(path.toString());
        long to = offset == 0 ? last : last - offset + limit;
        long from = offset == 0 ? last - limit + 1 : last - offset + 1;
        List<Telemetry> entries =
                store.journal(path.toString(), Math.max(1, from), Math.min(last, to));
        return Reply.json(
                200, StateFormats.format(request.query("format"), entries, type, path, false));
    }

    private Reply telemetry(Request request, TwinPath path) {
        Registry registry = commands.registry();
        TwinType type = resolve(registry, path, 400);
        String format = request.query("format");
        JsonNode body = request.bodyTree();
        double value = number(body, "value");
        Instant datetime = body.hasNonNull("datetime") ? datetime(body) : commands.now();
        String name = null;
        Integer sentIdx = null;
        if ("named".equals(format) || "pathed".equals(format) || "object".equals(format)) {
            String sent = text(body, "name");
            name = sent.substring(sent.lastIndexOf('.') + 1);
            if (type.indexOf(name) < 0) {
                name = sent; // the original names what was sent in its message
            }
        } else {
            JsonNode idxNode = body.get("idx");
            if (idxNode == null || !idxNode.canConvertToInt() || !idxNode.isIntegralNumber()) {
                throw new ApiException(
                        400, "The request content was malformed: 'idx' must be a whole number");
            }
            sentIdx = idxNode.intValue();
        }
        int idx;
        try {
            idx = type.propertyIndex(sentIdx, name);
        } catch (ValidationException e) {
            throw new ApiException(400, e.getMessage());
        }
        commands.observe(
                List.of(
                        TwinMessage.telemetry(path.toString(), idx, value, datetime)
                                .validatedAt(registry.version())));
        return Reply.status(202);
    }

    private Reply children(List<String> segments) throws SQLException {
        Registry registry = commands.registry();
        String type = segments.get(segments.size() - 1);
        for (int i = 2; i < segments.size(); i += 2) {
            String parent = segments.get(i - 2);
            String child = segments.get(i);
            if (registry.type(parent).map(t -> !t.hasChild(child)).orElse(true)) {
                throw new ApiException(
                        404, parent + " type does not have children of type " + child);
            }
        }
        if (registry.type(type).isEmpty()) {
            throw new ApiException(404, "type not defined");
        }
        String parentPath =
                segments.size() == 1
                        ? null
                        : path(segments.subList(0, segments.size() - 1)).toString();
        return Reply.json(200, store.children(parentPath, type));
    }

    private Reply operators(Request request, TwinPath path) throws SQLException {
        switch (request.method()) {
            case "GET" -> {
                resolve(path, 404);
                return Reply.json(
                        200,
                        store.twin(path.toString())
                                .map(TwinStore.TwinRow::operators)
                                .orElse(List.of()));
            }
            case "POST" -> {
                Registry registry = commands.registry();
                CompiledType type =
                        registry.compiledType(resolve(registry, path, 400).name()).orElseThrow();
                OperatorSpec operator = request.body(OperatorSpec.class).createdAt(commands.now());
                try {
                    type.compileOwn(
                            operator); // the job's own check: a definition never fails at run time
                } catch (ValidationException e) {
                    throw new ApiException(400, e.getMessage());
                }
                // The answer is the twin's operators with this one in place, as the job will store
                // them.
                List<OperatorSpec> all = new ArrayList<>();
                for (OperatorSpec existing :
                        store.twin(path.toString())
                                .map(TwinStore.TwinRow::operators)
                                .orElse(List.of())) {
                    if (!existing.name().equals(operator.name())) {
                        all.add(existing);
                    }
                }
                all.add(operator);
                if (all.size() > Operators.MAX_OPERATORS) {
                    throw new ApiException(
                            400,
                            "a twin has at most "
                                    + Operators.MAX_OPERATORS
                                    + " operators of its own");
                }
                commands.observe(
                        List.of(
                                TwinMessage.putOperator(
                                                path.toString(), operator, operator.created())
                                        .validatedAt(registry.version())));
                return Reply.json(200, all);
            }
            case "DELETE" -> {
                Registry registry = commands.registry();
                resolve(registry, path, 404);
                commands.observe(
                        List.of(
                                TwinMessage.deleteOperators(path.toString(), commands.now())
                                        .validatedAt(registry.version())));
                return Reply.status(202);
            }
            default -> throw SpecResources.methodNotAllowed("GET, POST, DELETE");
        }
    }

    private TwinType resolve(TwinPath path, int status) {
        return resolve(commands.registry(), path, status);
    }

    private static TwinType resolve(Registry registry, TwinPath path, int status) {
        try {
            return registry.resolve(path);
        } catch (ValidationException e) {
            throw new ApiException(status, e.getMessage());
        }
    }

    private static TwinPath path(List<String> segments) {
        try {
            return new TwinPath(segments);
        } catch (ValidationException e) {
            throw new ApiException(400, e.getMessage());
        }
    }

    static long nonNegative(Request request, String name) {
        long value;
        try {
            value = Long.parseLong(request.query(name));
        } catch (NumberFormatException e) {
            throw new ApiException(
                    400, name + " must be an integer, got '" + request.query(name) + "'");
        }
        if (value < 0) {
            throw new ApiException(400, name + " must be 0 or more, got " + value);
        }
        return value;
    }

    private static double number(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isNumber() || !Double.isFinite(node.asDouble())) {
            throw new ApiException(
                    400, "The request content was malformed: '" + field + "' must be a number");
        }
        return node.asDouble();
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new ApiException(
                    400, "The request content was malformed: '" + field + "' must be a string");
        }
        return node.asText();
    }

    private static Instant datetime(JsonNode body) {
        try {
            return org.dtlab.model.json.DateTimes.parse(body.get("datetime").asText());
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "The request content was malformed: " + e.getMessage());
        }
    }
}
