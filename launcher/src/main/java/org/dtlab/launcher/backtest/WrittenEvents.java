package org.dtlab.launcher.backtest;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

import org.dtlab.job.JobConstants;
import org.dtlab.model.event.TwinEvent;

/** Counts the events on their way to the events file, for the progress line and the summary. */
final class WrittenEvents extends RichMapFunction<TwinEvent, TwinEvent> {

    private static final long serialVersionUID = 1L;

    private transient LongCounter written;

    @Override
    public void open(OpenContext openContext) {
        written = getRuntimeContext().getLongCounter(JobConstants.EVENTS_WRITTEN);
    }

    @Override
    public TwinEvent map(TwinEvent event) {
        written.add(1);
        return event;
    }
}
