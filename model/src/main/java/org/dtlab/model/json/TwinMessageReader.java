package org.dtlab.model.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import org.dtlab.model.telemetry.TwinMessage;

import java.io.IOException;
import java.time.Instant;

/**
 * Reads the JSON of a {@link TwinMessage} — every observation record, on the topic and in archives
 * — with Jackson's streaming parser, field by field, instead of through data binding.
 *
 * <p>Only the common shape is read this way: a telemetry whose fields have the types the binding
 * accepts without coercion, each at most once, unknown fields skipped. Anything else (an operator
 * command, a string where a number belongs, a duplicate field, invalid JSON, a value the message
 * refuses) is read again by the {@link Json#mapper() mapper}, so both paths accept the same texts
 * and a refused one fails with the mapper's message ({@code TwinMessageReaderTest} compares them).
 */
public final class TwinMessageReader {

    private static final ObjectReader BINDING = Json.mapper().readerFor(TwinMessage.class);
    private static final JsonFactory FACTORY = Json.mapper().getFactory();

    private TwinMessageReader() {}

    /**
     * @throws IOException or a {@link org.dtlab.model.ValidationException} as the mapper throws
     *     them
     */
    public static TwinMessage read(String json) throws IOException {
        TwinMessage message = readCommonShape(json);
        return message != null ? message : BINDING.readValue(json);
    }

    /** The message, or {@code null} when the mapper must read it. */
    private static TwinMessage readCommonShape(String json) {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String path = null;
            String name = null;
            Integer idx = null;
            Double value = null;
            Instant datetime = null;
            Long controlVersion = null;
            int seen = 0;
            for (JsonToken token = parser.nextToken();
                    token != JsonToken.END_OBJECT;
                    token = parser.nextToken()) {
                if (token != JsonToken.FIELD_NAME) {
                    return null;
                }
                String field = parser.currentName();
                JsonToken v = parser.nextToken();
                int bit;
                switch (field) {
                    case "path" -> {
                        bit = 1;
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        path = parser.getText();
                    }
                    case "idx" -> {
                        bit = 2;
                        if (v != JsonToken.VALUE_NUMBER_INT
                                || parser.getNumberType() != JsonParser.NumberType.INT) {
                            return null;
                        }
                        idx = parser.getIntValue();
                    }
                    case "name" -> {
                        bit = 4;
                        if (v != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        name = parser.getText();
                    }
                    case "value" -> {
                        bit = 8;
                        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
                            return null;
                        }
                        value = parser.getDoubleValue();
                    }
                    case "datetime" -> {
                        bit = 16;
                        if (v == JsonToken.VALUE_STRING) {
                            datetime = DateTimes.parse(parser.getText());
                        } else if (v == JsonToken.VALUE_NUMBER_INT
                                && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                            datetime = DateTimes.ofEpochMilli(parser.getLongValue());
                        } else {
                            return null;
                        }
                    }
                    case "controlVersion" -> {
                        bit = 32;
                        if (v != JsonToken.VALUE_NUMBER_INT
                                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                            return null;
                        }
                        controlVersion = parser.getLongValue();
                    }
                    case "command" -> {
                        bit = 64;
                        if (v != JsonToken.VALUE_STRING || !"telemetry".equals(parser.getText())) {
                            return null;
                        }
                    }
                    case "operator" -> {
                        return null;
                    }
                    default -> {
                        bit = 0;
                        parser.skipChildren();
                    }
                }
                if ((seen & bit) != 0) {
                    return null;
                }
                seen |= bit;
            }
            return new TwinMessage(
                    path,
                    TwinMessage.Command.TELEMETRY,
                    idx,
                    name,
                    value,
                    datetime,
                    null,
                    controlVersion);
        } catch (IOException | RuntimeException e) {
            return null; // the mapper reads it again and says what is wrong
        }
    }
}
