package org.dtlab.job.runtime;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import org.dtlab.job.config.EventTimeOptions;
import org.dtlab.model.event.RawRecord;

import java.time.Duration;

/**
 * The watermarks of the twin job. Observations: event time trails the newest observation by the
 * allowed out-of-orderness and, optionally, follows the wall clock once no observation has arrived
 * for a while (so an alarm fires when the whole system is quiet). Control records carry no event
 * time: their input holds the watermark at its maximum, so it never holds the twins' timers back.
 */
public final class EventTimeWatermarks {

    static final Duration IDLENESS = Duration.ofSeconds(10);

    private EventTimeWatermarks() {}

    public static WatermarkStrategy<TwinInput> observations(EventTimeOptions options) {
        long outOfOrdernessMs = options.outOfOrdernessMs();
        long idleAdvanceMs = options.idleAdvanceMs();
        WatermarkStrategy<TwinInput> strategy =
                WatermarkStrategy.<TwinInput>forGenerator(
                                ctx -> new ObservationWatermarks(outOfOrdernessMs, idleAdvanceMs))
                        .withTimestampAssigner(
                                (input, recordTimestamp) ->
                                        input.message().datetime().toEpochMilli());
        // A parallel instance without observations (fewer partitions than instances) must not hold
        // event time back for the others. With idle advance it follows the clock; without, it is
        // marked idle. (Not both: an idle instance's generator is no longer asked for watermarks,
        // so the clock could not take over.)
        return idleAdvanceMs > 0 ? strategy : strategy.withIdleness(IDLENESS);
    }

    public static WatermarkStrategy<RawRecord> control() {
        return WatermarkStrategy.forGenerator(
                ctx ->
                        new WatermarkGenerator<>() {
                            @Override
                            public void onEvent(
                                    RawRecord event, long eventTimestamp, WatermarkOutput output) {}

                            @Override
                            public void onPeriodicEmit(WatermarkOutput output) {
                                output.emitWatermark(Watermark.MAX_WATERMARK);
                            }
                        });
    }

    /**
     * Bounded out-of-orderness, with the wall clock taking over after {@code idleAdvanceMs} of
     * silence.
     */
    static final class ObservationWatermarks implements WatermarkGenerator<TwinInput> {
        private final long outOfOrdernessMs;
        private final long idleAdvanceMs;
        private long maxTimestamp = Long.MIN_VALUE;
        private long lastEventAt = System.currentTimeMillis();
        private long emitted = Long.MIN_VALUE;

        ObservationWatermarks(long outOfOrdernessMs, long idleAdvanceMs) {
            this.outOfOrdernessMs = outOfOrdernessMs;
            this.idleAdvanceMs = idleAdvanceMs;
        }

        @Override
        public void onEvent(TwinInput event, long eventTimestamp, WatermarkOutput output) {
            maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
            if (idleAdvanceMs > 0) {
                lastEventAt = System.currentTimeMillis();
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long watermark =
                    maxTimestamp == Long.MIN_VALUE
                            ? Long.MIN_VALUE
                            : maxTimestamp - outOfOrdernessMs - 1;
            if (idleAdvanceMs > 0) {
                long now = System.currentTimeMillis();
                if (now - lastEventAt >= idleAdvanceMs) {
                    watermark = Math.max(watermark, now - outOfOrdernessMs - 1);
                }
            }
            if (watermark > emitted) {
                emitted = watermark;
                output.emitWatermark(new Watermark(watermark));
            }
        }
    }
}
