package org.dtlab.job.backtest;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.json.DateTimes;
import org.dtlab.model.json.Json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import java.time.Instant;

/**
 * Turns archive lines into raw records stamped with their event time (so BATCH mode orders each
 * twin's records by it), keeps those inside the back-test's window and twin prefix, and counts what
 * it read. Lines it cannot read pass through: the parser makes rejects of them.
 */
public final class ArchiveFilter extends ProcessFunction<String, RawRecord> {

    private static final long serialVersionUID = 1L;

    public static final String RECORDS = "dtlab-records-read";
    public static final String FIRST = "dtlab-first-event-time";
    public static final String LAST = "dtlab-last-event-time";

    private final long from;
    private final long to;
    private final String prefix;

    private transient ObjectReader reader;
    private transient LongCounter records;
    private transient LongMinimum first;
    private transient LongMaximum last;

    /**
     * @param from first event time kept (epoch ms, inclusive)
     * @param to end of the window (epoch ms, exclusive)
     * @param prefix only twins whose path starts with this ({@code ""} = all)
     */
    public ArchiveFilter(long from, long to, String prefix) {
        this.from = from;
        this.to = to;
        this.prefix = prefix.startsWith("/") ? prefix.substring(1) : prefix;
    }

    @Override
    public void open(OpenContext openContext) {
        reader = Json.mapper().reader();
        records = getRuntimeContext().getLongCounter(RECORDS);
        first = new LongMinimum();
        last = new LongMaximum();
        getRuntimeContext().addAccumulator(FIRST, first);
        getRuntimeContext().addAccumulator(LAST, last);
    }

    @Override
    public void processElement(String line, Context ctx, Collector<RawRecord> out) {
        if (line.isBlank()) {
            return;
        }
        records.add(1);
        long time = 0;
        try {
            JsonNode node = reader.readTree(line);
            String path = node.path("path").asText("");
            if (!prefix.isEmpty() && !path.startsWith(prefix)) {
                return;
            }
            JsonNode datetime = node.get("datetime");
            if (datetime != null && datetime.isTextual()) {
                Instant at = DateTimes.parse(datetime.asText());
                time = at.toEpochMilli();
                if (time < from || time >= to) {
                    return;
                }
                first.add(time);
                last.add(time);
            }
        } catch (Exception e) {
            // unreadable: the parser rejects it with the reason
        }
        out.collect(RawRecord.of("archive", null, line, time));
    }
}
