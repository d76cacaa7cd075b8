package org.dtlab.model.control;

import org.dtlab.model.Limits;
import org.dtlab.model.ValidationException;
import org.dtlab.model.logic.CompiledType;
import org.dtlab.model.logic.Contributor;
import org.dtlab.model.logic.Rollup;
import org.dtlab.model.spec.ObjectExtractorSpec;
import org.dtlab.model.spec.TelemetryExtractor;
import org.dtlab.model.spec.TelemetryExtractorSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.spec.ValueSpec;
import org.dtlab.model.spec.WebhookSpec;
import org.dtlab.model.telemetry.TwinPath;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is defined: types, webhooks and ingest extractor specs. Immutable; {@link #apply} returns
 * the next registry, so a reader never sees a half-applied change and the query service can share
 * one between threads.
 *
 * <p>The job and the query service both fold the control topic through {@link #apply}, in topic
 * order, and therefore agree. Specs are create-only, as in the original: a create of an existing
 * name is {@link Outcome#EXISTS} (the API's 409), a delete of a missing one {@link
 * Outcome#NOT_FOUND} (404); neither changes anything.
 */
public final class Registry {

    private static final Registry EMPTY = new Registry(0, Map.of(), Map.of(), Map.of(), Map.of());

    private final long version;

    /**
     * The types, compiled when their definition was applied (expressions parsed and checked once).
     */
    private final Map<String, CompiledType> types;

    private final Map<String, WebhookSpec> webhooks;
    private final Map<String, ObjectExtractorSpec> objectExtractors;
    private final Map<String, TelemetryExtractorSpec> telemetryExtractors;

    /**
     * The child side of roll-ups, compiled on first use per (parent type, child type): derived from
     * the types, so a cache of this immutable registry.
     */
    private final Map<String, List<Contributor>> contributors = new ConcurrentHashMap<>();

    private Registry(
            long version,
            Map<String, CompiledType> types,
            Map<String, WebhookSpec> webhooks,
            Map<String, ObjectExtractorSpec> objectExtractors,
            Map<String, TelemetryExtractorSpec> telemetryExtractors) {
        this.version = version;
        this.types = types;
        this.webhooks = webhooks;
        this.objectExtractors = objectExtractors;
        this.telemetryExtractors = telemetryExtractors;
    }

    public static Registry empty() {
        return EMPTY;
    }

    /**
     * How many changes have been applied: the same number in every component that folded the same
     * control records, so it orders spec rows.
     */
    public long version() {
        return version;
    }

    /** This registry with its version set, e.g. after it was rebuilt from stored specs. */
    public Registry atVersion(long newVersion) {
        return new Registry(newVersion, types, webhooks, objectExtractors, telemetryExtractors);
    }

    private Registry next(
            Map<String, CompiledType> nextTypes,
            Map<String, WebhookSpec> nextWebhooks,
            Map<String, ObjectExtractorSpec> nextObjectExtractors,
            Map<String, TelemetryExtractorSpec> nextTelemetryExtractors) {
        return new Registry(
                version + 1,
                nextTypes,
                nextWebhooks,
                nextObjectExtractors,
                nextTelemetryExtractors);
    }

    /** What applying a control message did. */
    public enum Outcome {
        APPLIED,
        /** A create of a name that is defined already. */
        EXISTS,
        /** A delete of a name that is not defined. */
        NOT_FOUND,
        /** A create the registry cannot accept (the reason says why). */
        INVALID
    }

    /** The registry after a message, what happened, and why if it was not applied. */
    public record Applied(Registry registry, Outcome outcome, String reason) {
        public boolean isApplied() {
            return outcome == Outcome.APPLIED;
        }
    }

    /** Applies one control message. Never throws for a message that parsed. */
    public Applied apply(ControlMessage m) {
        return switch (m.action()) {
            case CREATE -> create(m);
            case DELETE -> delete(m);
        };
    }

    private Applied create(ControlMessage m) {
        String name = m.name();
        switch (m.kind()) {
            case TYPE -> {
                if (types.containsKey(name)) {
                    return exists(m);
                }
                if (name.equals(TwinType.RESERVED_NAME)) {
                    return invalid(
                            "'" + TwinType.RESERVED_NAME + "' is reserved and cannot name a type");
                }
                CompiledType type;
                try {
                    type = check(m.type().named(name, m.issued()));
                } catch (ValidationException e) {
                    return invalid(e.getMessage());
                }
                return applied(
                        next(
                                with(types, name, type),
                                webhooks,
                                objectExtractors,
                                telemetryExtractors));
            }
            case WEBHOOK -> {
                if (webhooks.containsKey(name)) {
                    return exists(m);
                }
                WebhookSpec hook = m.webhook().named(name, m.issued());
                return applied(
                        next(
                                types,
                                with(webhooks, name, hook),
                                objectExtractors,
                                telemetryExtractors));
            }
            case OBJECT_EXTRACTOR -> {
                if (objectExtractors.containsKey(name)) {
                    return exists(m);
                }
                ObjectExtractorSpec s = m.objectExtractor();
                ObjectExtractorSpec spec =
                        s.created() != null
                                ? s
                                : new ObjectExtractorSpec(
                                        s.specId(), s.path(), s.telSpecId(), m.issued());
                return applied(
                        next(
                                types,
                                webhooks,
                                with(objectExtractors, name, spec),
                                telemetryExtractors));
            }
            case TELEMETRY_EXTRACTOR -> {
                if (telemetryExtractors.containsKey(name)) {
                    return exists(m);
                }
                try {
                    TelemetryExtractorSpec spec = resolve(m.telemetryExtractor(), m);
                    return applied(
                            next(
                                    types,
                                    webhooks,
                                    objectExtractors,
                                    with(telemetryExtractors, name, spec)));
                } catch (ValidationException e) {
                    return invalid(e.getMessage());
                }
            }
        }
        throw new IllegalStateException("unknown kind " + m.kind());
    }

    private Applied delete(ControlMessage m) {
        String name = m.name();
        return switch (m.kind()) {
            case TYPE ->
                    types.containsKey(name)
                            ? applied(
                                    next(
                                            without(types, name),
                                            webhooks,
                                            objectExtractors,
                                            telemetryExtractors))
                            : notFound(m);
            case WEBHOOK ->
                    webhooks.containsKey(name)
                            ? applied(
                                    next(
                                            types,
                                            without(webhooks, name),
                                            objectExtractors,
                                            telemetryExtractors))
                            : notFound(m);
            case OBJECT_EXTRACTOR ->
                    objectExtractors.containsKey(name)
                            ? applied(
                                    next(
                                            types,
                                            webhooks,
                                            without(objectExtractors, name),
                                            telemetryExtractors))
                            : notFound(m);
            case TELEMETRY_EXTRACTOR ->
                    telemetryExtractors.containsKey(name)
                            ? applied(
                                    next(
                                            types,
                                            webhooks,
                                            objectExtractors,
                                            without(telemetryExtractors, name)))
                            : notFound(m);
        };
    }

    /**
     * Resolves every named value to its property index, as the original ingest service did when a
     * spec was posted; a name the type does not have makes the whole spec invalid.
     */
    private TelemetryExtractorSpec resolve(TelemetryExtractorSpec spec, ControlMessage m) {
        List<TelemetryExtractor> resolved = new ArrayList<>(spec.extractors().size());
        for (TelemetryExtractor extractor : spec.extractors()) {
            List<ValueSpec> values = new ArrayList<>(extractor.values().size());
            for (ValueSpec value : extractor.values()) {
                if (value.idx() != null) {
                    values.add(value);
                    continue;
                }
                int idx = type(value.typeId()).map(t -> t.indexOf(value.name())).orElse(-1);
                if (idx < 0) {
                    throw new ValidationException(
                            "no type field found for path "
                                    + value.path()
                                    + " for specId "
                                    + spec.specId());
                }
                values.add(value.withIdx(idx));
            }
            resolved.add(
                    new TelemetryExtractor(
                            extractor.paths(),
                            values,
                            extractor.datetimePath(),
                            extractor.datetimeFmt()));
        }
        return new TelemetryExtractorSpec(
                spec.specId(), resolved, spec.created() != null ? spec.created() : m.issued());
    }

    /**
     * Compiles a type as {@link #apply} would accept it: its operators and roll-ups, and each
     * roll-up against its child type if that is defined (a roll-up over a type defined later that
     * lacks the property contributes nothing).
     *
     * @throws ValidationException naming the operator or roll-up and the field
     */
    public CompiledType check(TwinType type) {
        if (type.props().size() > Limits.MAX_PROPS) {
            // Here, not in TwinType: a larger type accepted before this limit still restores.
            throw new ValidationException(
                    "type "
                            + type.name()
                            + ": at most "
                            + Limits.MAX_PROPS
                            + " props, got "
                            + type.props().size());
        }
        CompiledType compiled = CompiledType.of(type);
        for (Rollup rollup : compiled.rollups()) {
            CompiledType child = types.get(rollup.spec().child());
            if (child != null) {
                rollup.contributor(child.spec());
            }
        }
        return compiled;
    }

    /**
     * What a child of type {@code childType} contributes to a parent of type {@code parentType}:
     * one entry per roll-up of the parent over that child type that compiles against it. Empty for
     * most pairs; compiled once per pair and registry.
     */
    public List<Contributor> contributors(String parentType, String childType) {
        CompiledType parentCompiled = types.get(parentType);
        if (parentCompiled == null || parentCompiled.rollups().isEmpty()) {
            return List.of(); // most parents: no key to build on the per-record path
        }
        return contributors.computeIfAbsent(
                parentType + "/" + childType,
                key -> {
                    CompiledType parent = types.get(parentType);
                    CompiledType child = types.get(childType);
                    if (child == null) {
                        return List.of();
                    }
                    List<Contributor> list = new ArrayList<>(1);
                    for (Rollup rollup : parent.rollups()) {
                        if (rollup.spec().child().equals(childType)) {
                            try {
                                list.add(rollup.contributor(child.spec()));
                            } catch (ValidationException e) {
                                // The child type was defined after the roll-up, without what it
                                // needs: inert.
                            }
                        }
                    }
                    return List.copyOf(list);
                });
    }

    /**
     * Checks a twin path against the types, with the original's messages: every (parent, child)
     * pair must be declared — the first failing pair is reported — and the last type must exist.
     *
     * @return the twin's own type
     * @throws ValidationException {@code <p> type does not have children of type <c>} or {@code
     *     type not defined}
     */
    public TwinType resolve(TwinPath path) {
        return compiled(path).spec();
    }

    /** As {@link #resolve}, the type compiled: what the twin state machine runs. */
    public CompiledType compiled(TwinPath path) {
        for (int level = 1; level < path.levels(); level++) {
            String parent = path.typeAt(level - 1);
            String child = path.typeAt(level);
            CompiledType parentType = types.get(parent);
            if (parentType == null || !parentType.spec().hasChild(child)) {
                throw new ValidationException(
                        parent + " type does not have children of type " + child);
            }
        }
        CompiledType type = types.get(path.type());
        if (type == null) {
            throw new ValidationException("type not defined");
        }
        return type;
    }

    /**
     * The spec of {@code kind}/{@code name} as this registry holds it (stamped, resolved), as a
     * create message with the given id — e.g. to store it, or to write it again so that it is the
     * last record of its key in the compacted control topic.
     */
    public Optional<ControlMessage> asCreate(
            ControlMessage.Kind kind, String name, String id, java.time.Instant issued) {
        return switch (kind) {
            case TYPE -> type(name).map(t -> ControlMessage.createType(id, issued, t));
            case WEBHOOK -> webhook(name).map(w -> ControlMessage.createWebhook(id, issued, w));
            case OBJECT_EXTRACTOR ->
                    objectExtractor(name)
                            .map(o -> ControlMessage.createObjectExtractor(id, issued, o));
            case TELEMETRY_EXTRACTOR ->
                    telemetryExtractor(name)
                            .map(t -> ControlMessage.createTelemetryExtractor(id, issued, t));
        };
    }

    public Optional<TwinType> type(String name) {
        return Optional.ofNullable(types.get(name)).map(CompiledType::spec);
    }

    public Optional<CompiledType> compiledType(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public Collection<TwinType> types() {
        return types.values().stream().map(CompiledType::spec).toList();
    }

    public Optional<WebhookSpec> webhook(String name) {
        return Optional.ofNullable(webhooks.get(name));
    }

    public Collection<WebhookSpec> webhooks() {
        return Collections.unmodifiableCollection(webhooks.values());
    }

    public Optional<ObjectExtractorSpec> objectExtractor(String specId) {
        return Optional.ofNullable(objectExtractors.get(specId));
    }

    public Optional<TelemetryExtractorSpec> telemetryExtractor(String specId) {
        return Optional.ofNullable(telemetryExtractors.get(specId));
    }

    private Applied exists(ControlMessage m) {
        return new Applied(this, Outcome.EXISTS, m.kind().jsonName() + " " + m.name() + " exists");
    }

    private Applied notFound(ControlMessage m) {
        return new Applied(
                this, Outcome.NOT_FOUND, m.kind().jsonName() + " " + m.name() + " not found");
    }

    private Applied invalid(String reason) {
        return new Applied(this, Outcome.INVALID, reason);
    }

    private static Applied applied(Registry next) {
        return new Applied(next, Outcome.APPLIED, null);
    }

    private static <V> Map<String, V> with(Map<String, V> map, String key, V value) {
        Map<String, V> copy = new HashMap<>(map);
        copy.put(key, value);
        return Collections.unmodifiableMap(copy);
    }

    private static <V> Map<String, V> without(Map<String, V> map, String key) {
        Map<String, V> copy = new HashMap<>(map);
        copy.remove(key);
        return Collections.unmodifiableMap(copy);
    }
}
