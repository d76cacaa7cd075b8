package org.dtlab.job.runtime;

import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import org.dtlab.model.event.TwinSnapshot;

import java.util.HashMap;
import java.util.Map;

/**
 * Keeps only the newest snapshot of each twin for up to {@code intervalMs}, so the database sees at
 * most one state write per twin per interval however fast the twin changes.
 *
 * <p>It holds no state: everything buffered is emitted before every checkpoint barrier, at the end
 * of input, and when the interval has passed, so nothing is lost in a recovery. Memory is bounded
 * by the number of twins that changed within one interval.
 */
public final class SnapshotCoalescer extends AbstractStreamOperator<TwinSnapshot>
        implements OneInputStreamOperator<TwinSnapshot, TwinSnapshot>,
                BoundedOneInput,
                ProcessingTimeCallback {

    private static final long serialVersionUID = 1L;

    private final long intervalMs;

    private transient Map<String, TwinSnapshot> newest;
    private transient boolean timerPending;

    public SnapshotCoalescer(long intervalMs) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + intervalMs);
        }
        this.intervalMs = intervalMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        newest = new HashMap<>();
    }

    @Override
    public void processElement(StreamRecord<TwinSnapshot> element) {
        TwinSnapshot snapshot = element.getValue();
        newest.merge(snapshot.path(), snapshot, (a, b) -> b.version() >= a.version() ? b : a);
        if (!timerPending) {
            timerPending = true;
            getProcessingTimeService()
                    .registerTimer(
                            getProcessingTimeService().getCurrentProcessingTime() + intervalMs,
                            this);
        }
    }

    @Override
    public void onProcessingTime(long time) {
        timerPending = false;
        flush();
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        flush();
    }

    @Override
    public void endInput() {
        flush();
    }

    private void flush() {
        if (newest.isEmpty()) {
            return;
        }
        StreamRecord<TwinSnapshot> reuse = new StreamRecord<>(null);
        for (TwinSnapshot snapshot : newest.values()) {
            output.collect(reuse.replace(snapshot));
        }
        newest.clear();
    }
}
