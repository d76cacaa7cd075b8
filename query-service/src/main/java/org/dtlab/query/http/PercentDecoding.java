package org.dtlab.query.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict percent-decoding of URL parts as UTF-8. The server leaves URLs undecoded so that a bad
 * escape ({@code %zz}, a lone {@code %}, bytes that are not UTF-8) gets a 400 that says so, instead
 * of the parser's empty 400.
 */
final class PercentDecoding {

    private PercentDecoding() {}

    /** A part that cannot be decoded, with where and why. */
    static final class BadEncodingException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        BadEncodingException(String message) {
            super(message);
        }
    }

    /**
     * @param what how to name the part in the message ("the path", "query parameter 'limit'")
     * @param plusIsSpace whether {@code +} means a space (query strings, as browsers send forms)
     */
    static String decode(String raw, String what, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (low < 0) {
                    throw new BadEncodingException(
                            "bad percent-encoding in "
                                    + what
                                    + " at character "
                                    + (i + 1)
                                    + ": '%' must be followed by two hexadecimal digits");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c > 0x7F) {
                // The HTTP parser lets only ASCII through; anything else must come escaped.
                throw new BadEncodingException(
                        "bad percent-encoding in "
                                + what
                                + " at character "
                                + (i + 1)
                                + ": a character outside ASCII must be percent-encoded");
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BadEncodingException(
                    "bad percent-encoding in " + what + ": the bytes are not UTF-8");
        }
    }
}
