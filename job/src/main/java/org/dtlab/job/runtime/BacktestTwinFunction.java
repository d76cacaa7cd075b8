package org.dtlab.job.runtime;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import org.dtlab.model.control.Registry;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.json.Json;

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

    /** The event time of the twin's last message. */
    public static final ValueStateDescriptor<Long> LAST_MESSAGE_TIME =
            new ValueStateDescriptor<>("dtlab-last-message-time", Types.LONG);

    private final List<String> specs;
    private final int level;

    private transient TwinCore core;
    private transient Registry registry;
    private transient ValueState<Long> lastMessageTime;

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
        core = new TwinCore(getRuntimeContext(), level);
        registry = TwinCore.registryOf(specs, Json.mapper());
        lastMessageTime = getRuntimeContext().getState(LAST_MESSAGE_TIME);
    }

    @Override
    public void processElement(TwinInput input, Context ctx, Collector<TwinEvent> out)
            throws Exception {
        if (input.message() != null) {
            long time = input.timestamp();
            Long last = lastMessageTime.value();
            if (last != null && time <= last) {
                throw new OutOfOrderInputException(input.path(), time, last);
            }
            lastMessageTime.update(time);
        }
        core.handle(registry, input, scope(ctx, out));
    }

    /** The twin's pending inputs and deadlines up to the watermark are due. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TwinEvent> out)
            throws Exception {
        core.onEventTime(registry, ctx.getCurrentKey(), timestamp, scope(ctx, out));
    }

    /** The core's view of this call's context. */
    private static TwinCore.Scope scope(Context ctx, Collector<TwinEvent> out) {
        return TwinCore.scope(ctx.timerService(), ctx::output, out);
    }
}
