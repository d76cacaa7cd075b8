package org.dtlab.model.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import org.dtlab.model.ValidationException;
import org.dtlab.model.telemetry.Telemetry;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The Jackson configuration shared by the job, the connectors and the query service, so that every
 * component reads and writes the same JSON.
 */
public final class Json {

    private static final ObjectMapper MAPPER = newMapper();

    private Json() {}

    /** A shared, thread-safe mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** A fresh mapper with the project's configuration (for components that must own theirs). */
    public static ObjectMapper newMapper() {
        SimpleModule datetimes = new SimpleModule("dtlab-datetimes");
        datetimes.addSerializer(Instant.class, new InstantSerializer());
        datetimes.addDeserializer(Instant.class, new InstantDeserializer());
        datetimes.addSerializer(Telemetry.class, new TelemetrySerializer());
        datetimes.addDeserializer(Telemetry.class, new TelemetryDeserializer());
        return JsonMapper.builder()
                .addModule(datetimes)
                // The original (spray-json) ignored unknown fields; clients rely on sending extras.
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // A value that is not a number must be an error, not a silent 0.
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
    }

    /**
     * The JSON text of a list of telemetry — a twin's state, as the journal's {@code state} columns
     * hold it — exactly as {@link #mapper()} writes it, without going through Jackson: the sinks
     * write one per event and per state row, and Jackson's generic path was the largest cost of the
     * state writer (docs/benchmarks.md).
     */
    public static String telemetryArray(List<Telemetry> telemetry) {
        StringBuilder out = new StringBuilder(16 + 64 * telemetry.size());
        out.append('[');
        for (int i = 0; i < telemetry.size(); i++) {
            Telemetry t = telemetry.get(i);
            if (i > 0) {
                out.append(',');
            }
            out.append("{\"idx\":").append(t.idx()).append(",\"value\":");
            double value = t.value();
            if (Double.isFinite(value)) {
                out.append(value);
            } else {
                // Jackson quotes NaN and the infinities (QUOTE_NON_NUMERIC_NUMBERS).
                out.append('"').append(value).append('"');
            }
            out.append(",\"datetime\":\"").append(DateTimes.format(t.datetime())).append("\"}");
        }
        return out.append(']').toString();
    }

    /**
     * Why reading a record failed, in one line for a reject row: the validation message, or {@code
     * malformed JSON: <what the parser said>}.
     */
    public static String reason(Exception error) {
        return ValidationException.in(error)
                .map(Throwable::getMessage)
                .orElseGet(
                        () ->
                                error instanceof JsonProcessingException json
                                        ? "malformed JSON: " + json.getOriginalMessage()
                                        : error.getClass().getSimpleName()
                                                + ": "
                                                + error.getMessage());
    }

    private static final class InstantSerializer extends JsonSerializer<Instant> {
        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
                throws IOException {
            gen.writeString(DateTimes.format(value));
        }
    }

    /**
     * A twin's state is a list of these, written in every event and state row: field by field, the
     * same JSON as the record's bean serializer without its reflective accessors.
     */
    private static final class TelemetrySerializer extends JsonSerializer<Telemetry> {
        @Override
        public void serialize(Telemetry value, JsonGenerator gen, SerializerProvider serializers)
                throws IOException {
            gen.writeStartObject(value);
            gen.writeNumberField("idx", value.idx());
            gen.writeNumberField("value", value.value());
            gen.writeStringField("datetime", DateTimes.format(value.datetime()));
            gen.writeEndObject();
        }
    }

    /** A telemetry's JSON fields (the record keeps its datetime as two numbers). */
    private record TelemetryFields(int idx, double value, Instant datetime) {}

    private static final class TelemetryDeserializer extends JsonDeserializer<Telemetry> {
        @Override
        public Telemetry deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            TelemetryFields fields = ctxt.readValue(p, TelemetryFields.class);
            if (fields.datetime() == null) {
                return ctxt.reportInputMismatch(Telemetry.class, "a telemetry needs a datetime");
            }
            return new Telemetry(fields.idx(), fields.value(), fields.datetime());
        }
    }

    private static final class InstantDeserializer extends JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return DateTimes.ofEpochMilli(p.getLongValue());
            }
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
            }
            try {
                return DateTimes.parse(p.getText());
            } catch (IllegalArgumentException e) {
                throw ctxt.weirdStringException(p.getText(), Instant.class, e.getMessage());
            }
        }
    }
}
