package org.dtlab.job.runtime;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.dtlab.job.JobConstants;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.Reject;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.event.WebhookDelivery;
import org.dtlab.model.event.WebhookFanOut;
import org.dtlab.model.json.Json;
import org.dtlab.model.logic.ChildValues;
import org.dtlab.model.logic.Outcome;
import org.dtlab.model.logic.TwinMachine;
import org.dtlab.model.state.OperatorMemory;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Contribution;
import org.dtlab.model.telemetry.TwinPath;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * What every twin operator does with a twin's input, whatever feeds it: the live {@link
 * TwinFunction} (observations keyed, specs broadcast) and the back-test's {@link
 * BacktestTwinFunction} (observations keyed, specs given at start) both hand each input and each
 * event-time timer to this one code path. It moves state, timers and outputs around the Flink-free
 * {@link TwinMachine}, which decides everything a twin does: it loads the twin's {@link TwinState},
 * holds the inputs of an event-time-ordered twin until event time reaches them ({@link
 * TwinFunction#PENDING}), calls the machine, stores the new state, keeps an event-time timer at the
 * twin's next deadline and emits the outcome on the outputs of {@link JobConstants}.
 *
 * <p>Made in the operator's {@code open}, on its runtime context; the operator supplies the
 * registry in effect and, per call, a {@link Scope} for timers and outputs.
 */
final class TwinCore {

    /** The operator's side of one call: event time, timers and outputs. */
    interface Scope {

        long currentWatermark();

        void registerEventTimeTimer(long time);

        void deleteEventTimeTimer(long time);

        <X> void output(OutputTag<X> tag, X value);

        void collect(TwinEvent event);
    }

    /**
     * Where the current twin's {@link TwinState} lives: the operator's keyed state, read and
     * written for the key of the call.
     */
    interface TwinStore {

        /** The twin's state, or {@code null} for a twin never seen. */
        TwinState load() throws Exception;

        void store(TwinState state) throws Exception;

        /** The twin's state in a value state of its own ({@link TwinFunction#TWIN_STATE}). */
        static TwinStore of(ValueState<TwinState> state) {
            return new TwinStore() {
                @Override
                public TwinState load() throws Exception {
                    return state.value();
                }

                @Override
                public void store(TwinState next) throws Exception {
                    state.update(next);
                }
            };
        }
    }

    /**
     * A process function context's side outputs: {@code ctx::output} of a keyed or a keyed
     * broadcast function's context, which share the method but no interface.
     */
    interface SideOutputs {
        <X> void output(OutputTag<X> tag, X value);
    }

    /** The scope of one call of a process function: its timer service, side outputs, collector. */
    static Scope scope(TimerService timers, SideOutputs sides, Collector<TwinEvent> out) {
        return new Scope() {
            @Override
            public long currentWatermark() {
                return timers.currentWatermark();
            }

            @Override
            public void registerEventTimeTimer(long time) {
                timers.registerEventTimeTimer(time);
            }

            @Override
            public void deleteEventTimeTimer(long time) {
                timers.deleteEventTimeTimer(time);
            }

            @Override
            public <X> void output(OutputTag<X> tag, X value) {
                sides.output(tag, value);
            }

            @Override
            public void collect(TwinEvent event) {
                out.collect(event);
            }
        };
    }

    /** The level of the hierarchy the operator holds (1: top-level twins). */
    private final int level;

    private final TwinStore twinState;
    private final MapState<Long, List<TwinInput>> pending;
    private final ChildValues childValues;
    private final LongCounter late;
    private final LongCounter applied;
    private final LongCounter emitted;
    private final Counter unevaluated;
    private final Counter lateForOperators;
    private final Counter refusedChildren;
    private final Counter behindEventTime;
    private final ObjectMapper json = Json.mapper();

    /** A core keeping each twin's state in {@link TwinFunction#TWIN_STATE}. */
    TwinCore(RuntimeContext context, int level) {
        this(context, level, TwinStore.of(context.getState(TwinFunction.TWIN_STATE)));
    }

    TwinCore(RuntimeContext context, int level, TwinStore twinState) {
        this.level = level;
        this.twinState = twinState;
        pending = context.getMapState(TwinFunction.PENDING);
        childValues = new MapStateChildValues(context.getMapState(TwinFunction.CHILD_VALUES));
        late = context.getLongCounter(JobConstants.LATE_OBSERVATIONS);
        applied = context.getLongCounter(JobConstants.MESSAGES_APPLIED);
        emitted = context.getLongCounter(JobConstants.EVENTS_EMITTED);
        unevaluated = context.getMetricGroup().counter(TwinFunction.UNEVALUATED_METRIC);
        lateForOperators = context.getMetricGroup().counter(TwinFunction.LATE_FOR_OPERATORS_METRIC);
        refusedChildren = context.getMetricGroup().counter(TwinFunction.REFUSED_CHILDREN_METRIC);
        behindEventTime = context.getMetricGroup().counter(TwinFunction.BEHIND_EVENT_TIME_METRIC);
    }

    /** The registry of control messages in JSON, applied in order to an empty one. */
    static Registry registryOf(List<String> specs, ObjectMapper json) throws IOException {
        Registry registry = Registry.empty();
        for (String spec : specs) {
            registry = registry.apply(json.readValue(spec, ControlMessage.class)).registry();
        }
        return registry;
    }

    /**
     * An input of the current twin: applied now, or — for a twin that applies its inputs in
     * event-time order (a roll-up parent, or a child's report) — kept until event time reaches it.
     */
    void handle(Registry registry, TwinInput input, Scope scope) throws Exception {
        TwinPath path = TwinPath.parse(input.path());
        long time = input.timestamp();
        boolean ordered =
                input.contribution() != null
                        || TwinMachine.ordersByEventTime(registry, path.type());
        if (ordered && time > scope.currentWatermark()) {
            List<TwinInput> atTime = pending.get(time);
            List<TwinInput> next = new ArrayList<>(atTime == null ? 1 : atTime.size() + 1);
            if (atTime != null) {
                next.addAll(atTime);
            }
            next.add(input);
            pending.put(time, next);
            scope.registerEventTimeTimer(time);
            return;
        }
        if (ordered) {
            behindEventTime.inc(); // event time has passed it: applied now, out of order
        }
        apply(registry, path, input, scope);
    }

    /**
     * An event-time timer of the current twin ({@code key}) at {@code timestamp}: its pending
     * inputs and deadlines up to the watermark are due (roll-ups, alarms, staleness, windows).
     */
    void onEventTime(Registry registry, String key, long timestamp, Scope scope) throws Exception {
        // Event time has reached the watermark: every deadline up to it is due, not only this
        // timer's. At the end of input (BATCH: the end of each twin's records, or of all records
        // without the sort) the watermark is at its maximum and Flink ignores timers set from a
        // timer callback, so all of a twin's remaining deadlines must be settled here, in order.
        long until = Math.max(timestamp, scope.currentWatermark());
        TwinPath path = TwinPath.parse(key);
        for (TwinInput input : duePending(until)) {
            apply(registry, path, input, scope);
        }
        TwinState pre = stateOrEmpty();
        emit(registry, scope, path, pre, TwinMachine.onTime(registry, path, pre, until), null);
    }

    private void apply(Registry registry, TwinPath path, TwinInput input, Scope scope)
            throws Exception {
        TwinState pre = stateOrEmpty();
        Outcome outcome =
                input.contribution() != null
                        ? TwinMachine.onContribution(
                                registry, path, pre, input.contribution(), childValues)
                        : TwinMachine.onMessage(registry, path, pre, input.message());
        if (input.message() != null) {
            applied.add(1);
        }
        emit(registry, scope, path, pre, outcome, input);
    }

    /**
     * Takes the pending inputs up to {@code until} out of state, in the order the twin applies
     * them: by event time; at one instant its own messages first, in arrival order, then its
     * children's reports in {@link Contribution#SAME_INSTANT_ORDER}.
     */
    private List<TwinInput> duePending(long until) throws Exception {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<Long> due = new ArrayList<>();
        for (Long time : pending.keys()) {
            if (time <= until) {
                due.add(time);
            }
        }
        Collections.sort(due);
        List<TwinInput> inputs = new ArrayList<>();
        for (Long time : due) {
            List<TwinInput> atTime = new ArrayList<>(pending.get(time));
            atTime.sort(
                    Comparator.comparing(
                            TwinInput::contribution,
                            Comparator.nullsFirst(Contribution.SAME_INSTANT_ORDER)));
            inputs.addAll(atTime);
            pending.remove(time);
        }
        return inputs;
    }

    private TwinState stateOrEmpty() throws Exception {
        TwinState state = twinState.load();
        return state == null ? TwinState.EMPTY : state;
    }

    private void emit(
            Registry registry,
            Scope scope,
            TwinPath path,
            TwinState pre,
            Outcome outcome,
            TwinInput input)
            throws Exception {
        if (outcome.isRejected()) {
            scope.output(
                    JobConstants.REJECTS,
                    new Reject(
                            input.origin(),
                            input.path(),
                            outcome.rejection(),
                            json.writeValueAsString(input.message()),
                            input.message().datetime()));
            return;
        }
        TwinState next = outcome.state();
        if (next == pre) {
            return;
        }
        twinState.store(next);
        long before = pre.nextDeadline();
        long deadline = next.nextDeadline();
        if (deadline != before) {
            if (before != OperatorMemory.NO_DEADLINE) {
                scope.deleteEventTimeTimer(before);
            }
            if (deadline != OperatorMemory.NO_DEADLINE) {
                scope.registerEventTimeTimer(deadline);
            }
        }
        if (outcome.late()) {
            late.add(1);
        }
        unevaluated.inc(outcome.unevaluated());
        lateForOperators.inc(outcome.lateForOperators());
        refusedChildren.inc(outcome.refusedChildren());
        // A twin below the last level's depth has its parent in this very operator: no cycle.
        if (!outcome.contributions().isEmpty() && level > 1 && path.levels() == level) {
            for (Contribution c : outcome.contributions()) {
                scope.output(JobConstants.CONTRIBUTIONS, TwinInput.of(c));
            }
        }
        for (JournalEntry entry : outcome.journal()) {
            scope.output(JobConstants.JOURNAL, entry);
        }
        emitted.add(outcome.events().size());
        for (TwinEvent event : outcome.events()) {
            scope.collect(event);
            for (WebhookDelivery delivery : WebhookFanOut.deliveries(registry.webhooks(), event)) {
                scope.output(JobConstants.WEBHOOK_DELIVERIES, delivery);
            }
        }
        for (TwinSnapshot snapshot : outcome.snapshots()) {
            scope.output(JobConstants.SNAPSHOTS, snapshot);
        }
    }
}
