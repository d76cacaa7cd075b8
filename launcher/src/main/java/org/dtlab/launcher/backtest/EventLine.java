package org.dtlab.launcher.backtest;

import org.apache.flink.api.common.serialization.Encoder;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.json.DateTimes;
import org.dtlab.model.json.Json;
import org.dtlab.model.telemetry.Telemetry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes an event as an NDJSON line of the output, tagged with the run id: {@code runId, id,
 * eventType, path, dtType, sequence, created, state} and, for an alarm event, {@code alarm} (as in
 * {@code dtlab_backtest_events}) — the same text as the project's mapper writes for a map of these
 * fields.
 *
 * <p>The line goes field by field through one Jackson generator straight into the part file's
 * stream, as UTF-8 bytes: no map of the fields walked generically, no {@code String} of the line
 * made and encoded again. With every event written, the events' writer was the busiest thread of a
 * back-test (docs/benchmarks.md). One instance serves one sink subtask, on its thread.
 */
final class EventLine implements Encoder<TwinEvent> {

    private static final long serialVersionUID = 1L;

    /** An alarm's fields as the mapper writes them, without flushing in the middle of a line. */
    private static final ObjectWriter ALARM =
            Json.mapper().writer().without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final String run;

    private transient Target target;
    private transient JsonGenerator json;

    EventLine(String run) {
        this.run = run;
    }

    @Override
    public void encode(TwinEvent event, OutputStream stream) throws IOException {
        if (json == null) {
            target = new Target();
            json = generator(target);
        }
        target.out = stream;
        try {
            write(json, run, event);
            json.writeRaw('\n');
            json.flush();
        } catch (IOException | RuntimeException e) {
            // the generator may be left inside the line: the next line starts on a new one
            json = null;
            throw e;
        }
    }

    /** The line of an event, without its line feed. */
    static String line(String run, TwinEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = generator(out)) {
            write(json, run, event);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator json = Json.mapper().createGenerator(out, JsonEncoding.UTF8);
        // lines, not a sequence of root values separated by spaces
        json.setRootValueSeparator(null);
        return json;
    }

    private static void write(JsonGenerator json, String run, TwinEvent event) throws IOException {
        json.writeStartObject();
        json.writeStringField("runId", run);
        json.writeStringField("id", event.id());
        json.writeStringField("eventType", event.type().jsonName());
        json.writeStringField("path", event.path());
        json.writeStringField("dtType", event.dtType());
        json.writeNumberField("sequence", event.sequence());
        json.writeStringField("created", DateTimes.format(event.created()));
        json.writeArrayFieldStart("state");
        for (Telemetry t : event.state()) {
            // as Json's serializer of a telemetry
            json.writeStartObject();
            json.writeNumberField("idx", t.idx());
            json.writeNumberField("value", t.value());
            json.writeStringField("datetime", DateTimes.format(t.datetime()));
            json.writeEndObject();
        }
        json.writeEndArray();
        if (event.alarm() != null) {
            json.writeFieldName("alarm");
            ALARM.writeValue(json, event.alarm());
        }
        json.writeEndObject();
    }

    /**
     * The part file the generator writes to, changed for each line (the sink rolls its files).
     * Flushing the generator hands its bytes on without flushing the file.
     */
    private static final class Target extends OutputStream {
        private OutputStream out;

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
