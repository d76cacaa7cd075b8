package org.dtlab.job.runtime;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.dtlab.job.JobConstants;
import org.dtlab.model.ValidationException;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.event.Reject;
import org.dtlab.model.event.SpecChange;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.event.WebhookDelivery;
import org.dtlab.model.event.WebhookPayload;
import org.dtlab.model.json.Json;
import org.dtlab.model.logic.Transition;
import org.dtlab.model.logic.TwinLogic;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.spec.WebhookSpec;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Telemetry;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.model.telemetry.TwinPath;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The twin operator: a thin shell around {@link TwinLogic}. Keyed by twin path, it loads the
 * twin's {@link TwinState}, validates the message against the {@link Registry} (kept in broadcast
 * state, fed by the control stream), applies it, stores the state and emits the outputs:
 * {@link TwinEvent}s on the main output; journal entries, state snapshots, webhook deliveries,
 * spec changes and rejects on the side outputs of {@link JobConstants}.
 *
 * <p>Bad records never throw: each becomes a {@link Reject} with the original DT Lab's message.
 */
public final class TwinFunction extends KeyedBroadcastProcessFunction<String, TwinInput, RawRecord, TwinEvent> {

    private static final long serialVersionUID = 1L;

    /** The state of one twin. */
    public static final ValueStateDescriptor<TwinState> TWIN_STATE =
            new ValueStateDescriptor<>("dtlab-twin", TypeInformation.of(TwinState.class));

    /**
     * Messages of one twin held back until the control stream catches up with the registry version
     * they were validated against; while any are held, later ones queue behind them (twin order).
     */
    public static final ListStateDescriptor<TwinInput> HELD_BACK =
            new ListStateDescriptor<>("dtlab-held-back", TypeInformation.of(TwinInput.class));

    /** How often held-back messages are retried. */
    static final long HOLD_RETRY_MS = 100;

    /**
     * How long a message waits for the control stream at most; then it is processed anyway (and
     * rejected if its type is still missing) rather than held forever.
     */
    static final long MAX_HOLD_MS = 60_000;

    // -- configuration

    /**
     * Specs in effect from the start, before any control record (a back-test's candidate specs): no
     * observation can overtake them, whatever the order of the inputs.
     */
    private final List<String> initialSpecs;

    // -- runtime

    /**
     * Accumulator: observations older than a telemetry their twin already had. Applied all the
     * same, in arrival order; BATCH back-tests sort each twin by event time, so it stays 0 there.
     */
    public static final String LATE_OBSERVATIONS = "dtlab-late-observations";

    private transient ValueState<TwinState> twinState;
    private transient LongCounter late;
    private transient ListState<TwinInput> heldBack;
    private transient ObjectMapper json;
    /** The broadcast state, parsed; rebuilt from it after a restore. */
    private transient Registry registry;
    /** Every parallel instance sees every control record; the first one reports what they did. */
    private transient boolean reportsControl;

    public TwinFunction() {
        this(List.of());
    }

    /** @param initialSpecs control messages in JSON, applied in order before anything else */
    public TwinFunction(List<String> initialSpecs) {
        this.initialSpecs = List.copyOf(initialSpecs);
    }

    @Override
    public void open(OpenContext openContext) {
        twinState = getRuntimeContext().getState(TWIN_STATE);
        late = getRuntimeContext().getLongCounter(LATE_OBSERVATIONS);
        heldBack = getRuntimeContext().getListState(HELD_BACK);
        json = Json.mapper();
        reportsControl = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    }

    @Override
    public void processBroadcastElement(RawRecord raw, Context ctx, Collector<TwinEvent> out) throws Exception {
        if (raw.payload() == null && raw.defect() == null) {
            return; // a compaction tombstone: nothing to apply
        }
        BroadcastState<String, String> specs = ctx.getBroadcastState(JobConstants.SPECS);
        Registry current = registry(specs);
        ControlMessage message;
        try {
            if (raw.defect() != null) {
                throw new ValidationException(raw.defect());
            }
            message = json.readValue(raw.payload(), ControlMessage.class);
        } catch (Exception e) {
            rejectControl(ctx, raw, Json.reason(e));
            return;
        }
        Registry.Applied applied = current.apply(message);
        if (!applied.isApplied()) {
            rejectControl(ctx, raw, applied.reason());
            return;
        }
        registry = applied.registry();
        String spec = null;
        switch (message.action()) {
            case CREATE -> {
                // As the registry holds it (stamped, extractor names resolved), so that a rebuild
                // does not depend on the order of entries.
                ControlMessage stored = registry.asCreate(message.kind(), message.name(), message.id(), message.issued())
                        .orElseThrow();
                specs.put(message.key(), json.writeValueAsString(stored));
                spec = json.writeValueAsString(specOf(stored));
            }
            case DELETE -> specs.remove(message.key());
        }
        specs.put(JobConstants.REGISTRY_VERSION_KEY, Long.toString(registry.version()));
        if (reportsControl) {
            ctx.output(JobConstants.SPEC_CHANGES, new SpecChange(
                    message.key(), message.kind().jsonName(), message.name(), spec, registry.version(), message.issued()));
        }
    }

    @Override
    public void processElement(TwinInput input, ReadOnlyContext ctx, Collector<TwinEvent> out) throws Exception {
        Registry current = registry(ctx.getBroadcastState(JobConstants.SPECS));
        // With initial specs (a back-test) a recorded control version refers to another registry's
        // history: there is nothing to wait for.
        Long needed = initialSpecs.isEmpty() ? input.message().controlVersion() : null;
        boolean holding = heldBack.get().iterator().hasNext();
        if (holding || (needed != null && needed > current.version())) {
            long now = ctx.timerService().currentProcessingTime();
            heldBack.add(new TwinInput(input.path(), input.origin(), input.message(), now));
            ctx.timerService().registerProcessingTimeTimer(now - now % HOLD_RETRY_MS + HOLD_RETRY_MS);
            return;
        }
        handle(input, ctx, out);
    }

    /** Processes the held-back messages the registry has caught up with (or that waited too long). */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TwinEvent> out) throws Exception {
        Registry current = registry(ctx.getBroadcastState(JobConstants.SPECS));
        List<TwinInput> waiting = new ArrayList<>();
        heldBack.get().forEach(waiting::add);
        int done = 0;
        for (TwinInput input : waiting) {
            Long needed = input.message().controlVersion();
            boolean ready = needed == null || needed <= current.version() || timestamp - input.heldSince() >= MAX_HOLD_MS;
            if (!ready) {
                break;
            }
            handle(input, ctx, out);
            done++;
        }
        if (done == waiting.size()) {
            heldBack.clear();
        } else {
            heldBack.update(waiting.subList(done, waiting.size()));
            ctx.timerService().registerProcessingTimeTimer(timestamp + HOLD_RETRY_MS);
        }
    }

    private void handle(TwinInput input, ReadOnlyContext ctx, Collector<TwinEvent> out) throws Exception {
        Registry current = registry;
        TwinMessage message = input.message();
        TwinPath path = TwinPath.parse(input.path());
        TwinType type;
        try {
            type = current.resolve(path);
        } catch (ValidationException e) {
            reject(ctx, input, e.getMessage());
            return;
        }
        TwinState state = twinState.value();
        if (state == null) {
            state = TwinState.EMPTY;
        }
        switch (message.command()) {
            case TELEMETRY -> onTelemetry(ctx, out, input, path, type, state);
            case PUT_OPERATOR -> update(ctx, path, type, state,
                    state.withOperator(message.operator().createdAt(message.datetime())));
            case DELETE_OPERATORS -> update(ctx, path, type, state, state.withoutOperators());
        }
    }

    private void onTelemetry(
            ReadOnlyContext ctx, Collector<TwinEvent> out, TwinInput input, TwinPath path, TwinType type, TwinState pre)
            throws Exception {
        TwinMessage message = input.message();
        int idx;
        if (message.idx() != null) {
            idx = message.idx();
        } else {
            idx = type.indexOf(message.name());
            if (idx < 0) {
                reject(ctx, input, "Can not validate - please check that type definition '" + type.name()
                        + "' exists and supports property '" + message.name() + "'.");
                return;
            }
        }
        if (idx < 0 || idx >= type.props().size()) {
            reject(ctx, input, "idx out of bounds");
            return;
        }
        Telemetry telemetry = new Telemetry(idx, message.value(), message.datetime());
        if (isLate(pre, telemetry)) {
            late.add(1);
        }
        Transition transition =
                TwinLogic.apply(pre, telemetry, TwinLogic.effectiveOperators(type.operators(), pre.operators()));
        TwinState next = transition.state();
        String key = input.path();

        ctx.output(JobConstants.JOURNAL, new JournalEntry(key, next.sequence(), idx, telemetry.value(), telemetry.datetime()));
        if (pre.sequence() == 0) {
            emit(ctx, out, event(EventType.CREATION, key, type, next, telemetry.datetime(), List.of()));
        }
        if (transition.changed()) {
            emit(ctx, out, event(EventType.STATE_CHANGE, key, type, next, telemetry.datetime(), next.properties()));
        }
        update(ctx, path, type, pre, next);
    }

    /** Older than a telemetry the twin already has: applied all the same (last write wins), but counted. */
    private static boolean isLate(TwinState pre, Telemetry telemetry) {
        for (Telemetry known : pre.properties()) {
            if (known.datetime().isAfter(telemetry.datetime())) {
                return true;
            }
        }
        return false;
    }

    private void update(ReadOnlyContext ctx, TwinPath path, TwinType type, TwinState pre, TwinState next)
            throws Exception {
        twinState.update(next);
        ctx.output(JobConstants.SNAPSHOTS, snapshot(path, type.name(), next));
        if (pre.isNew()) {
            // Ancestors are listed as children even when they never get telemetry themselves (as in
            // the original): a version-0 row is written if they have none.
            for (Optional<TwinPath> parent = path.parent(); parent.isPresent(); parent = parent.get().parent()) {
                ctx.output(JobConstants.SNAPSHOTS, snapshot(parent.get(), parent.get().type(), TwinState.EMPTY));
            }
        }
    }

    private static TwinSnapshot snapshot(TwinPath path, String dtType, TwinState state) {
        Instant updated = null;
        for (Telemetry t : state.properties()) {
            if (updated == null || t.datetime().isAfter(updated)) {
                updated = t.datetime();
            }
        }
        return new TwinSnapshot(
                path.toString(),
                path.parent().map(TwinPath::toString).orElse(null),
                dtType,
                path.instanceId(),
                state.version(),
                state.sequence(),
                state.properties(),
                state.operators(),
                updated);
    }

    private void emit(ReadOnlyContext ctx, Collector<TwinEvent> out, TwinEvent event) throws Exception {
        out.collect(event);
        String payload = null;
        for (WebhookSpec hook : registry.webhooks()) {
            if (hook.matches(event)) {
                if (payload == null) {
                    payload = json.writeValueAsString(WebhookPayload.of(event));
                }
                ctx.output(JobConstants.WEBHOOK_DELIVERIES,
                        new WebhookDelivery(event.id(), hook.name(), hook.target().url(), payload));
            }
        }
    }

    private static TwinEvent event(
            EventType eventType, String key, TwinType type, TwinState state, Instant at, List<Telemetry> values) {
        return new TwinEvent(
                TwinEvent.idOf(key, state.sequence(), eventType), eventType, key, type.name(), state.sequence(), at, values);
    }

    private void reject(ReadOnlyContext ctx, TwinInput input, String reason) throws Exception {
        ctx.output(JobConstants.REJECTS, new Reject(
                input.origin(), input.path(), reason, json.writeValueAsString(input.message()), input.message().datetime()));
    }

    private void rejectControl(Context ctx, RawRecord raw, String reason) {
        if (reportsControl) {
            ctx.output(JobConstants.REJECTS,
                    new Reject(raw.origin(), raw.key(), reason, raw.payload(), Instant.ofEpochMilli(raw.timestamp())));
        }
    }

    /** The registry, parsed from broadcast state on first use after a (re)start. */
    private Registry registry(ReadOnlyBroadcastState<String, String> specs) throws Exception {
        if (registry == null) {
            Registry rebuilt = Registry.empty();
            for (String spec : initialSpecs) {
                rebuilt = rebuilt.apply(json.readValue(spec, ControlMessage.class)).registry();
            }
            long version = rebuilt.version();
            for (Map.Entry<String, String> spec : specs.immutableEntries()) {
                if (spec.getKey().equals(JobConstants.REGISTRY_VERSION_KEY)) {
                    version = Long.parseLong(spec.getValue());
                } else {
                    rebuilt = rebuilt.apply(json.readValue(spec.getValue(), ControlMessage.class)).registry();
                }
            }
            registry = rebuilt.atVersion(version);
        }
        return registry;
    }

    private static Object specOf(ControlMessage m) {
        return switch (m.kind()) {
            case TYPE -> m.type();
            case WEBHOOK -> m.webhook();
            case OBJECT_EXTRACTOR -> m.objectExtractor();
            case TELEMETRY_EXTRACTOR -> m.telemetryExtractor();
        };
    }
}
