package org.dtlab.job.runtime;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import org.dtlab.job.JobConstants;
import org.dtlab.model.control.Registry;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.json.Json;
import org.dtlab.model.logic.TwinMachine;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.TwinPath;

import java.util.List;

/**
 * The twin operator of a back-test that skips Flink's BATCH sort: keyed by twin path like {@link
 * TwinFunction}, with the same {@link TwinCore} doing all of a twin's work, but with one input: the
 * candidate specs are known at start, so there is no control stream to broadcast (Flink's broadcast
 * operator in BATCH mode needs the sort to order its two inputs).
 *
 * <p>Without the sort, a twin's records arrive in archive order. That gives the sorted back-test's
 * results only if each twin's messages arrive in strictly increasing event time — then the arrival
 * order is the one order the sort could have produced. The operator checks it with the last event
 * time of each twin and fails with {@link OutOfOrderInputException} on the first message that is
 * not later than its twin's previous one; the back-test then runs again with the sort. Children's
 * reports to roll-ups are not checked: the core applies them in event-time order in any case.
 */
public final class BacktestTwinFunction extends KeyedProcessFunction<String, TwinInput, TwinEvent> {

    private static final long serialVersionUID = 1L;

    /**
     * The timer of every twin at the end of input, where it writes its state row: a back-test
     * writes only each twin's last row, so the rows of every input before it are not sent on (6 M
     * records of 100,000 twins: 6 M rows to serialize and coalesce, 100,000 of them kept).
     */
    private static final long END_OF_INPUT = Long.MAX_VALUE;

    /** {@link #CHECKED_TWIN}'s time before a twin's first message. */
    private static final long NO_MESSAGE = Long.MIN_VALUE;

    /**
     * Each twin's state ({@code f1}) with the event time of its last message ({@code f0}), in one
     * value: the twin is looked up once per record. With 100,000 twins each lookup of the heap
     * state misses the CPU's caches; two values cost a second lookup, a sixth of the operator's
     * time (docs/benchmarks.md).
     */
    public static final ValueStateDescriptor<Tuple2<Long, TwinState>> CHECKED_TWIN =
            new ValueStateDescriptor<>(
                    "dtlab-checked-twin",
                    new TupleTypeInfo<>(Types.LONG, TwinStateSerializer.TYPE));

    private final List<String> specs;
    private final int level;

    private transient TwinCore core;
    private transient Registry registry;
    private transient ValueState<Tuple2<Long, TwinState>> checkedTwin;
    private transient CallStore twin;

    /**
     * @param specs control messages in JSON, applied in order: the specs of the whole run
     * @param level the level of the twins this instance holds, from 1
     */
    public BacktestTwinFunction(List<String> specs, int level) {
        this.specs = List.copyOf(specs);
        this.level = level;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        twin = new CallStore();
        core = new TwinCore(getRuntimeContext(), level, twin);
        registry = TwinCore.registryOf(specs, Json.mapper());
        checkedTwin = getRuntimeContext().getState(CHECKED_TWIN);
    }

    @Override
    public void processElement(TwinInput input, Context ctx, Collector<TwinEvent> out)
            throws Exception {
        Tuple2<Long, TwinState> stored = checkedTwin.value();
        long last = stored == null ? NO_MESSAGE : stored.f0;
        long time = last;
        if (input.message() != null) {
            time = input.timestamp();
            if (stored != null && time <= last) {
                throw new OutOfOrderInputException(input.path(), time, last);
            }
        }
        if (stored == null) {
            ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
        }
        twin.begin(stored);
        core.handle(registry, input, scope(ctx, out));
        if (time != last || twin.changed) {
            checkedTwin.update(Tuple2.of(time, twin.state));
        }
    }

    /**
     * The twin's pending inputs and deadlines up to the watermark are due; at the end of input the
     * twin's state row is written.
     */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TwinEvent> out)
            throws Exception {
        Tuple2<Long, TwinState> stored = checkedTwin.value();
        twin.begin(stored);
        core.onEventTime(registry, ctx.getCurrentKey(), timestamp, scope(ctx, out));
        if (twin.changed) {
            checkedTwin.update(Tuple2.of(stored == null ? NO_MESSAGE : stored.f0, twin.state));
        }
        if (timestamp == END_OF_INPUT) {
            TwinSnapshot row =
                    TwinMachine.row(registry, TwinPath.parse(ctx.getCurrentKey()), twin.state);
            if (row != null) {
                ctx.output(JobConstants.SNAPSHOTS, row);
            }
        }
    }

    /**
     * The core's view of this call's context, without the twin's own state rows: its last one is
     * written at the end of input. Other twins' rows (the version-0 rows of a new twin's ancestors)
     * go on.
     */
    private static TwinCore.Scope scope(Context ctx, Collector<TwinEvent> out) {
        String key = ctx.getCurrentKey();
        return TwinCore.scope(
                ctx.timerService(),
                new TwinCore.SideOutputs() {
                    @Override
                    public <X> void output(OutputTag<X> tag, X value) {
                        if (tag != JobConstants.SNAPSHOTS
                                || !((TwinSnapshot) value).path().equals(key)) {
                            ctx.output(tag, value);
                        }
                    }
                },
                out);
    }

    /**
     * The current call's twin for the core: read from {@link #CHECKED_TWIN} before the call, and
     * written back after it, once.
     */
    private static final class CallStore implements TwinCore.TwinStore {
        private TwinState state;
        private boolean changed;

        void begin(Tuple2<Long, TwinState> stored) {
            state = stored == null ? TwinState.EMPTY : stored.f1;
            changed = false;
        }

        @Override
        public TwinState load() {
            return state;
        }

        @Override
        public void store(TwinState next) {
            state = next;
            changed = true;
        }
    }
}
