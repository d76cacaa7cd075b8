package org.dtlab.job.backtest;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.util.Collector;

import org.dtlab.job.JobConstants;
import org.dtlab.job.runtime.TwinInput;
import org.dtlab.model.ValidationException;
import org.dtlab.model.event.Reject;
import org.dtlab.model.json.Json;
import org.dtlab.model.json.TwinMessageReader;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.model.telemetry.TwinPath;

import java.time.Instant;

/**
 * Reads archive lines: parses each once into a twin message, keeps those inside the back-test's
 * window and twin prefix, and counts what it read. A line it cannot accept goes to the reject
 * output with the reason. An archive observation must carry its datetime: it is the event time that
 * orders each twin's observations in BATCH mode.
 */
public final class ArchiveFilter extends ProcessFunction<String, TwinInput> {

    private static final long serialVersionUID = 1L;

    private final long from;
    private final long to;
    private final String prefix;

    private transient LongCounter records;
    private transient LongCounter kept;
    private transient LongCounter finished;
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
        records = getRuntimeContext().getLongCounter(JobConstants.RECORDS_READ);
        kept = getRuntimeContext().getLongCounter(JobConstants.RECORDS_KEPT);
        finished = getRuntimeContext().getLongCounter(JobConstants.READERS_FINISHED);
        getRuntimeContext().getLongCounter(JobConstants.READERS_STARTED).add(1);
        first = new LongMinimum();
        last = new LongMaximum();
        getRuntimeContext().addAccumulator(JobConstants.FIRST_EVENT_TIME, first);
        getRuntimeContext().addAccumulator(JobConstants.LAST_EVENT_TIME, last);
    }

    /**
     * The filter as an operator that also counts, at the end of its input, one more reader that has
     * finished ({@link JobConstants#READERS_FINISHED}): a counter added in {@code close()} would
     * come too late, after the task reported its final counters.
     */
    public static final class Operator extends ProcessOperator<String, TwinInput>
            implements BoundedOneInput {

        private static final long serialVersionUID = 1L;

        public Operator(ArchiveFilter filter) {
            super(filter);
        }

        @Override
        public void endInput() {
            ((ArchiveFilter) userFunction).finished.add(1);
        }
    }

    @Override
    public void processElement(String line, Context ctx, Collector<TwinInput> out) {
        if (line.isBlank()) {
            return;
        }
        records.add(1);
        TwinMessage message;
        String path;
        try {
            message = TwinMessageReader.read(line);
            path = TwinPath.canonical(message.path());
            if (message.datetime() == null) {
                throw new ValidationException("an archived observation needs its datetime");
            }
        } catch (Exception e) {
            ctx.output(
                    JobConstants.REJECTS,
                    new Reject("archive", null, Json.reason(e), line, Instant.EPOCH));
            return;
        }
        long time = message.datetime().toEpochMilli();
        if ((!prefix.isEmpty() && !path.startsWith(prefix)) || time < from || time >= to) {
            return;
        }
        kept.add(1);
        first.add(time);
        last.add(time);
        out.collect(new TwinInput(path, "archive", message));
    }
}
