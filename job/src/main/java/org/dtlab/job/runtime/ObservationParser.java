package org.dtlab.job.runtime;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import org.dtlab.job.JobConstants;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.event.Reject;
import org.dtlab.model.json.Json;
import org.dtlab.model.json.TwinMessageReader;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.model.telemetry.TwinPath;

import java.time.Instant;

/**
 * Parses raw observation records into keyed {@link TwinInput}s. Anything that is not a valid
 * message with a valid twin path goes to the reject output with the reason; nothing throws.
 *
 * <p>A message without a datetime gets its record's timestamp here, before the keyed operator, so
 * that the twin logic depends on the data only and a replay reproduces it.
 */
public final class ObservationParser extends ProcessFunction<RawRecord, TwinInput> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<TwinInput> out) {
        if (raw.defect() != null) {
            ctx.output(JobConstants.REJECTS, reject(raw, raw.defect()));
            return;
        }
        if (raw.payload() == null || raw.payload().isBlank()) {
            ctx.output(JobConstants.REJECTS, reject(raw, "empty record"));
            return;
        }
        TwinMessage message;
        String path;
        try {
            message = TwinMessageReader.read(raw.payload());
            path = TwinPath.canonical(message.path());
        } catch (Exception e) {
            ctx.output(JobConstants.REJECTS, reject(raw, Json.reason(e)));
            return;
        }
        if (message.datetime() == null) {
            message = message.at(Instant.ofEpochMilli(raw.timestamp()));
        }
        out.collect(new TwinInput(path, raw.origin(), message));
    }

    private static Reject reject(RawRecord raw, String reason) {
        return new Reject(
                raw.origin(),
                raw.key(),
                reason,
                raw.payload(),
                Instant.ofEpochMilli(raw.timestamp()));
    }
}
