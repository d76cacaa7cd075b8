package org.dtlab.model.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import org.dtlab.model.ValidationException;
import org.dtlab.model.telemetry.TwinMessage;

import java.io.IOException;
import java.time.Instant;

/**
 * Reads the JSON of a {@link TwinMessage} — every observation record, on the topic and in archives
 * — with Jackson's streaming parser, field by field, instead of through data binding.
 *
 * <p>A record is one JSON object and nothing after it (the API refuses text after a body too); the
 * text {@code null} is refused with a reason of its own.
 *
 * <p>Only the common shape is read this way: a telemetry whose fields have the types the binding
 * accepts without coercion, each at most once, unknown fields skipped. Anything else (an operator
 * command, a string where a number belongs, a duplicate field, invalid JSON, a value the message
 * refuses) is read again by the {@link Json#mapper() mapper}, so both paths accept the same texts
 * and a refused one fails with the mapper's message ({@code TwinMessageReaderTest} compares them).
 *
 * <p>Before that, the text every writer of archives and journals produces — {@code
 * {"path":"…","idx":0,"value":1.5,"datetime":"…"}}, fields in this order, no spaces, no escapes —
 * is read by hand, without a JSON parser at all; any deviation from that exact text goes to the
 * streaming parser ({@code TwinMessageReaderTest} checks that both give the same message).
 */
public final class TwinMessageReader {

    private static final ObjectReader BINDING =
            Json.mapper()
                    .readerFor(TwinMessage.class)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JsonFactory FACTORY = Json.mapper().getFactory();

    private TwinMessageReader() {}

    /**
     * @throws IOException or a {@link org.dtlab.model.ValidationException} as the mapper throws
     *     them
     */
    public static TwinMessage read(String json) throws IOException {
        TwinMessage message = readCanonical(json);
        if (message == null) {
            message = readCommonShape(json);
        }
        if (message == null) {
            message = BINDING.readValue(json);
        }
        if (message == null) {
            // Jackson reads the text "null" as no message at all.
            throw new ValidationException("an observation must be a JSON object, not null");
        }
        return message;
    }

    /**
     * The canonical text of a telemetry, read without a parser: {@code {"path":S(,"command":
     * "telemetry")?,("idx":I|"name":S),"value":N(,"datetime":S)?}} with nothing after the closing
     * brace, where S is a string without escapes, quotes or control characters, I an integer of at
     * most 9 digits and N a number without exponent of at most 18 digits. {@code null} for anything
     * else, and for a text the streaming parser or the mapper must refuse (an invalid datetime, a
     * message the record refuses), so that they say why.
     */
    static TwinMessage readCanonical(String json) {
        Cursor at = new Cursor(json);
        if (!at.skip("{\"path\":")) {
            return null;
        }
        String path = at.string();
        if (path == null) {
            return null;
        }
        if (at.skip(",\"command\":") && !at.skip("\"telemetry\"")) {
            return null;
        }
        Integer idx = null;
        String name = null;
        if (at.skip(",\"idx\":")) {
            long number = at.integer(9);
            if (number == Long.MIN_VALUE) {
                return null;
            }
            idx = (int) number;
        } else if (at.skip(",\"name\":")) {
            name = at.string();
            if (name == null) {
                return null;
            }
        } else {
            return null;
        }
        if (!at.skip(",\"value\":")) {
            return null;
        }
        double value = at.number();
        if (Double.isNaN(value)) {
            return null;
        }
        Instant datetime = null;
        if (at.skip(",\"datetime\":")) {
            String text = at.string();
            if (text == null) {
                return null;
            }
            try {
                datetime = DateTimes.parse(text);
            } catch (IllegalArgumentException e) {
                return null; // the mapper says why
            }
        }
        if (!at.skip("}") || !at.atEnd() || path.isBlank() || !Double.isFinite(value)) {
            return null;
        }
        return new TwinMessage(
                path, TwinMessage.Command.TELEMETRY, idx, name, value, datetime, null, null);
    }

    /** A position in a text being read by {@link #readCanonical}. */
    private static final class Cursor {

        private final String text;
        private int at;

        Cursor(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at == text.length();
        }

        /** Moves past {@code expected} if the text goes on with it. */
        boolean skip(String expected) {
            if (text.startsWith(expected, at)) {
                at += expected.length();
                return true;
            }
            return false;
        }

        /**
         * A string literal without escapes or control characters (whose value is its text), or
         * {@code null}.
         */
        String string() {
            if (at >= text.length() || text.charAt(at) != '"') {
                return null;
            }
            int start = at + 1;
            for (int i = start; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"') {
                    at = i + 1;
                    return text.substring(start, i);
                }
                if (c == '\\' || c < 0x20) {
                    return null;
                }
            }
            return null;
        }

        /**
         * A JSON integer of 1 to {@code maxDigits} digits (no leading zero), or {@link
         * Long#MIN_VALUE}.
         */
        long integer(int maxDigits) {
            int start = at;
            boolean negative = at < text.length() && text.charAt(at) == '-';
            int first = negative ? at + 1 : at;
            int end = digits(first);
            int count = end - first;
            if (count == 0 || count > maxDigits || (count > 1 && text.charAt(first) == '0')) {
                at = start;
                return Long.MIN_VALUE;
            }
            long value = 0;
            for (int i = first; i < end; i++) {
                value = value * 10 + (text.charAt(i) - '0');
            }
            at = end;
            return negative ? -value : value;
        }

        /**
         * A JSON number without exponent, at most 18 digits before the fraction and 18 in it, as
         * the streaming parser reads it ({@code -0} is an integer, so 0.0), or NaN.
         */
        double number() {
            int start = at;
            long whole = integer(18);
            if (whole == Long.MIN_VALUE) {
                return Double.NaN;
            }
            if (at >= text.length() || text.charAt(at) != '.') {
                if (at < text.length() && (text.charAt(at) | 0x20) == 'e') {
                    at = start;
                    return Double.NaN; // an exponent: for the parser
                }
                return (double) whole;
            }
            int end = digits(at + 1);
            if (end == at + 1
                    || end - at - 1 > 18
                    || (end < text.length() && (text.charAt(end) | 0x20) == 'e')) {
                at = start;
                return Double.NaN;
            }
            double value = Double.parseDouble(text.substring(start, end));
            at = end;
            return value;
        }

        private int digits(int from) {
            int i = from;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
            }
            return i;
        }
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
            if (parser.nextToken() != null) {
                return null; // text after the object: the mapper refuses it
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
