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
 * {@code /actor/…}: twin state, telemetry, journal, child listings and per-twin operators. Which
 * paths are twins, type containers and operators is the route table's ({@link Routes#API}); this
 * answers them.
 */
public final class ActorResource {

    private final Commands commands;
    private final TwinStore store;
    private final HistoryResource history;

    public ActorResource(Commands commands, TwinStore store, JournalHistory history) {
        this.commands = commands;
        this.store = store;
        this.history = new HistoryResource(history);
    }

    /**
     * Whether {@code type} has children of type {@code child}: then {@code …/{child}} lists them,
     * as it always did, and is not one of the routes added under a twin ({@code series}, {@code
     * stream}: {@link Endpoint.Option#GIVES_WAY_TO_CHILDREN}).
     */
    public boolean declaresChild(String type, String child) {
        return commands.registry().type(type).map(t -> t.hasChild(child)).orElse(false);
    }

    /** A twin path that is not one (a bad name) is a 400, whatever the method. */
    public void checkPath(Request request) {
        path(request);
    }

    /** {@code /series} of a twin the types do not have is a 404, whatever the method. */
    public void checkTwin(Request request) {
        resolve(path(request), 404);
    }

    /**
     * A twin's state, its past ({@code ?at=}, {@code ?from=&to=}) or newest journal entries ({@code
     * ?limit=}); or the instances of a type container.
     */
    public Reply get(Request request) throws SQLException {
        if (request.params().typeContainer()) {
            return children(request.params().path());
        }
        TwinPath path = path(request);
        if (HistoryResource.asksForHistory(request)) {
            return history.past(request, path, resolve(path, 404));
        }
        return request.query("limit") != null ? journal(request, path) : state(request, path);
    }

    /** Deleting a twin is not supported (nor was it by the original). */
    public Reply delete(Request request) {
        return Reply.status(501);
    }

    public Reply series(Request request) throws SQLException {
        TwinPath path = path(request);
        return history.series(request, path, resolve(path, 404));
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

    /** One telemetry value for a twin. */
    public Reply telemetry(Request request) {
        TwinPath path = path(request);
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

    /** The twin's own operators. */
    public Reply operators(Request request) throws SQLException {
        TwinPath path = path(request);
        resolve(path, 404);
        return Reply.json(
                200,
                store.twin(path.toString()).map(TwinStore.TwinRow::operators).orElse(List.of()));
    }

    /** Adds or replaces one of the twin's own operators. */
    public Reply putOperator(Request request) throws SQLException {
        TwinPath path = path(request);
        Registry registry = commands.registry();
        CompiledType type =
                registry.compiledType(resolve(registry, path, 400).name()).orElseThrow();
        OperatorSpec operator = request.body(OperatorSpec.class).createdAt(commands.now());
        try {
            type.compileOwn(operator); // the job's own check: a definition never fails at run time
        } catch (ValidationException e) {
            throw new ApiException(400, e.getMessage());
        }
        // The answer is the twin's operators with this one in place, as the job will store them.
        List<OperatorSpec> all = new ArrayList<>();
        for (OperatorSpec existing :
                store.twin(path.toString()).map(TwinStore.TwinRow::operators).orElse(List.of())) {
            if (!existing.name().equals(operator.name())) {
                all.add(existing);
            }
        }
        all.add(operator);
        if (all.size() > Operators.MAX_OPERATORS) {
            throw new ApiException(
                    400, "a twin has at most " + Operators.MAX_OPERATORS + " operators of its own");
        }
        commands.observe(
                List.of(
                        TwinMessage.putOperator(path.toString(), operator, operator.created())
                                .validatedAt(registry.version())));
        return Reply.json(200, all);
    }

    /** Deletes all of the twin's own operators. */
    public Reply deleteOperators(Request request) {
        TwinPath path = path(request);
        Registry registry = commands.registry();
        resolve(registry, path, 404);
        commands.observe(
                List.of(
                        TwinMessage.deleteOperators(path.toString(), commands.now())
                                .validatedAt(registry.version())));
        return Reply.status(202);
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

    private static TwinPath path(Request request) {
        return path(request.params().path());
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
