package org.dtlab.launcher.backtest;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;

import org.dtlab.job.JobConstants;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.json.Json;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event as an NDJSON line of the output, tagged with the run id, counted as written: {@code
 * runId, id, eventType, path, dtType, sequence, created, state} and, for an alarm event, {@code
 * alarm} (as in {@code dtlab_backtest_events}).
 */
final class EventLine extends RichMapFunction<TwinEvent, String> {

    private static final long serialVersionUID = 1L;

    private final String run;
    private transient LongCounter written;

    EventLine(String run) {
        this.run = run;
    }

    @Override
    public void open(OpenContext openContext) {
        written = getRuntimeContext().getLongCounter(JobConstants.EVENTS_WRITTEN);
    }

    @Override
    public String map(TwinEvent event) throws IOException {
        written.add(1);
        return line(run, event);
    }

    static String line(String run, TwinEvent event) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("runId", run);
        line.put("id", event.id());
        line.put("eventType", event.type().jsonName());
        line.put("path", event.path());
        line.put("dtType", event.dtType());
        line.put("sequence", event.sequence());
        line.put("created", event.created());
        line.put("state", event.state());
        if (event.alarm() != null) {
            line.put("alarm", event.alarm());
        }
        return Json.mapper().writeValueAsString(line);
    }
}
