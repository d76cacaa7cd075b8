package org.dtlab.job.runtime;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.job.JobConstants;
import org.dtlab.model.ValidationException;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.event.Reject;
import org.dtlab.model.event.SpecChange;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.json.Json;
import org.dtlab.model.logic.ChildValues;
import org.dtlab.model.logic.TwinMachine;
import org.dtlab.model.state.TwinState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The twin operator: Flink's part of a twin, around the Flink-free {@link TwinMachine} (the way
 * Flink StateFun splits its function operator from the functions). Keyed by twin path, it keeps the
 * {@link Registry} in broadcast state (fed by the control stream) and holds messages back until the
 * registry has caught up with them; everything else — loading the twin's {@link TwinState}, handing
 * each message and each event-time timer to the machine, storing the state, the event-time timer at
 * the twin's next deadline and the outcome: {@link TwinEvent}s on the main output; journal entries,
 * state snapshots, webhook deliveries, rejects and contributions to parents' roll-ups on the side
 * outputs of {@link JobConstants} — is {@link TwinCore}'s, the code path it shares with the
 * back-test's {@link BacktestTwinFunction}. Spec changes are this operator's own output.
 *
 * <p>The job runs one instance of this operator per level of the twin hierarchy (see {@code
 * TwinJob}): the twins at {@code level} (and, at the last level, every deeper twin). A twin at this
 * level reports to its parent's roll-ups through {@link JobConstants#CONTRIBUTIONS}, which the job
 * feeds to the level above. A twin whose type has roll-ups applies its inputs in event-time order:
 * it keeps them until the watermark passes them ({@link #PENDING}), so it gives the results of a
 * back-test whatever order its children's reports arrive in.
 *
 * <p>Bad records never throw: each becomes a {@link Reject} with the original DT Lab's message.
 */
public final class TwinFunction
        extends KeyedBroadcastProcessFunction<String, TwinInput, RawRecord, TwinEvent> {

    private static final long serialVersionUID = 1L;

    /**
     * The state of one twin, in its own serializer's format (state written by Flink's POJO
     * serializer before is migrated on restore: {@link FormatSnapshot}).
     */
    public static final ValueStateDescriptor<TwinState> TWIN_STATE =
            new ValueStateDescriptor<>("dtlab-twin", TwinStateSerializer.TYPE);

    /**
     * Messages of one twin held back until the control stream catches up with the registry version
     * they were validated against; while any are held, later ones queue behind them (twin order).
     */
    public static final ListStateDescriptor<TwinInput> HELD_BACK =
            new ListStateDescriptor<>("dtlab-held-back", TypeInformation.of(TwinInput.class));

    /** Inputs of an event-time-ordered twin that event time has not reached yet, by timestamp. */
    public static final MapStateDescriptor<Long, List<TwinInput>> PENDING =
            new MapStateDescriptor<>(
                    "dtlab-pending",
                    Types.LONG,
                    new ListTypeInfo<>(TypeInformation.of(TwinInput.class)));

    /** A parent's record of its children's values, key {@code <roll-up>\n<child path>}. */
    public static final MapStateDescriptor<String, ChildValues.Value> CHILD_VALUES =
            new MapStateDescriptor<>(
                    "dtlab-child-values",
                    Types.STRING,
                    TypeInformation.of(ChildValues.Value.class));

    /** How often held-back messages are retried. */
    static final long HOLD_RETRY_MS = 100;

    /**
     * How long a message waits for the control stream at most; then it is processed anyway (and
     * rejected if its type is still missing) rather than held forever.
     */
    static final long MAX_HOLD_MS = 60_000;

    /**
     * Metric: how often an operator could not compute its value (missing value, division by zero).
     */
    public static final String UNEVALUATED_METRIC = "operatorsUnevaluated";

    /** Metric: telemetry too old for a window (older than a closed one) or a change operator. */
    public static final String LATE_FOR_OPERATORS_METRIC = "telemetryLateForOperators";

    /**
     * Metric: inputs of an event-time-ordered twin (a roll-up parent) that arrived after event time
     * had passed them, so were applied out of order, on arrival.
     */
    public static final String BEHIND_EVENT_TIME_METRIC = "inputsBehindEventTime";

    /** Metric: children's reports not counted because a roll-up has its maximum of children. */
    public static final String REFUSED_CHILDREN_METRIC = "rollupChildrenRefused";

    // -- configuration

    /**
     * Specs in effect from the start, before any control record (a back-test's candidate specs): no
     * observation can overtake them, whatever the order of the inputs.
     */
    private final List<String> initialSpecs;

    /** The level of the hierarchy this instance holds (1: top-level twins). */
    private final int level;

    // -- runtime

    private transient TwinCore core;
    private transient ListState<TwinInput> heldBack;
    private transient ObjectMapper json;

    /** The broadcast state, parsed; rebuilt from it after a restore. */
    private transient Registry registry;

    /** Every parallel instance sees every control record; the first one reports what they did. */
    private transient boolean reportsControl;

    public TwinFunction() {
        this(List.of(), 1);
    }

    /**
     * @param initialSpecs control messages in JSON, applied in order before anything else
     * @param level the level of the twins this instance holds, from 1
     */
    public TwinFunction(List<String> initialSpecs, int level) {
        this.initialSpecs = List.copyOf(initialSpecs);
        this.level = level;
    }

    @Override
    public void open(OpenContext openContext) {
        core = new TwinCore(getRuntimeContext(), level);
        heldBack = getRuntimeContext().getListState(HELD_BACK);
        json = Json.mapper();
        // Every level sees every control record; the first instance of the first level reports.
        reportsControl =
                level == 1 && getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
    }

    @Override
    public void processBroadcastElement(RawRecord raw, Context ctx, Collector<TwinEvent> out)
            throws Exception {
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
            message = ControlMessage.read(raw.payload());
        } catch (Exception e) {
            rejectControl(ctx, raw, Json.reason(e));
            countRejected(specs, current);
            return;
        }
        Registry.Applied applied = current.apply(message);
        if (!applied.isApplied()) {
            rejectControl(ctx, raw, applied.reason());
            if (applied.outcome() == Registry.Outcome.INVALID) {
                countRejected(specs, current);
            }
            return;
        }
        registry = applied.registry();
        String spec = null;
        switch (message.action()) {
            case CREATE -> {
                // As the registry holds it (stamped, extractor names resolved), so that a rebuild
                // does not depend on the order of entries.
                ControlMessage stored =
                        registry.asCreate(
                                        message.kind(),
                                        message.name(),
                                        message.id(),
                                        message.issued())
                                .orElseThrow();
                specs.put(message.key(), json.writeValueAsString(stored));
                spec = json.writeValueAsString(specOf(stored));
            }
            case DELETE -> specs.remove(message.key());
        }
        specs.put(JobConstants.REGISTRY_VERSION_KEY, Long.toString(registry.version()));
        if (reportsControl) {
            ctx.output(
                    JobConstants.SPEC_CHANGES,
                    new SpecChange(
                            message.key(),
                            message.kind().jsonName(),
                            message.name(),
                            spec,
                            registry.version(),
                            message.issued()));
        }
    }

    @Override
    public void processElement(TwinInput input, ReadOnlyContext ctx, Collector<TwinEvent> out)
            throws Exception {
        Registry current = registry(ctx.getBroadcastState(JobConstants.SPECS));
        // With initial specs (a back-test) a recorded control version refers to another registry's
        // history: there is nothing to wait for.
        Long needed =
                initialSpecs.isEmpty() && input.message() != null
                        ? input.message().controlVersion()
                        : null;
        boolean holding = heldBack.get().iterator().hasNext();
        if (holding || (needed != null && needed > current.version())) {
            long now = ctx.timerService().currentProcessingTime();
            heldBack.add(input.heldAt(now));
            ctx.timerService()
                    .registerProcessingTimeTimer(now - now % HOLD_RETRY_MS + HOLD_RETRY_MS);
            return;
        }
        handle(input, ctx, out);
    }

    /**
     * Event time: the twin's pending inputs and deadlines up to the watermark are due (roll-ups,
     * alarms, staleness, windows). Processing time: the held-back messages the registry has caught
     * up with (or that waited too long) go on.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TwinEvent> out)
            throws Exception {
        Registry current = registry(ctx.getBroadcastState(JobConstants.SPECS));
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            core.onEventTime(current, ctx.getCurrentKey(), timestamp, scope(ctx, out));
            return;
        }
        List<TwinInput> waiting = new ArrayList<>();
        heldBack.get().forEach(waiting::add);
        int done = 0;
        for (TwinInput input : waiting) {
            Long needed = input.message() != null ? input.message().controlVersion() : null;
            boolean ready =
                    needed == null
                            || needed <= current.version()
                            || timestamp - input.heldSince() >= MAX_HOLD_MS;
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

    private void handle(TwinInput input, ReadOnlyContext ctx, Collector<TwinEvent> out)
            throws Exception {
        core.handle(registry, input, scope(ctx, out));
    }

    /** The core's view of this call's context. */
    private static TwinCore.Scope scope(ReadOnlyContext ctx, Collector<TwinEvent> out) {
        return TwinCore.scope(ctx.timerService(), ctx::output, out);
    }

    /**
     * A control record the query service may have accepted (and counted in the version it stamps on
     * telemetry) but this job cannot: counted all the same, so that no telemetry is held back for a
     * version that would never come. The job's version may then run ahead of the query service's,
     * which holds nothing back.
     */
    private void countRejected(BroadcastState<String, String> specs, Registry current)
            throws Exception {
        registry = current.atVersion(current.version() + 1);
        specs.put(JobConstants.REGISTRY_VERSION_KEY, Long.toString(registry.version()));
    }

    private void rejectControl(Context ctx, RawRecord raw, String reason) {
        if (reportsControl) {
            ctx.output(
                    JobConstants.REJECTS,
                    new Reject(
                            raw.origin(),
                            raw.key(),
                            reason,
                            raw.payload(),
                            Instant.ofEpochMilli(raw.timestamp())));
        }
    }

    /** The registry, parsed from broadcast state on first use after a (re)start. */
    private Registry registry(ReadOnlyBroadcastState<String, String> specs) throws Exception {
        if (registry == null) {
            Registry rebuilt = TwinCore.registryOf(initialSpecs, json);
            long version = rebuilt.version();
            for (Map.Entry<String, String> spec : specs.immutableEntries()) {
                if (spec.getKey().equals(JobConstants.REGISTRY_VERSION_KEY)) {
                    version = Long.parseLong(spec.getValue());
                } else {
                    rebuilt =
                            rebuilt.apply(json.readValue(spec.getValue(), ControlMessage.class))
                                    .registry();
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
