package org.dtlab.connectors.journal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Rows in PostgreSQL's binary {@code COPY} format, built in memory: values go in as the server
 * stores them (a timestamp is a count of microseconds, a double its IEEE bits), so nothing is
 * formatted as text, escaped or parsed again on the server.
 *
 * <p>Format: a signature and two zero words, then per row a 16-bit field count and per field a
 * 32-bit length (-1 for NULL) and the bytes; a trailer of -1 ends the data.
 */
final class PgBinaryRows {

    private static final byte[] SIGNATURE = {
        'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0
    };

    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, in microseconds of the Unix epoch. */
    private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
    private final DataOutputStream out = new DataOutputStream(bytes);
    private int rows;

    PgBinaryRows() {
        reset();
    }

    /** Empties the buffer (it keeps its capacity) and writes the header. */
    void reset() {
        bytes.reset();
        rows = 0;
        try {
            out.write(SIGNATURE);
            out.writeInt(0); // flags: no OIDs
            out.writeInt(0); // no header extension
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen in memory
        }
    }

    void startRow(int fields) throws IOException {
        out.writeShort(fields);
        rows++;
    }

    void text(String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    void int8(long value) throws IOException {
        out.writeInt(8);
        out.writeLong(value);
    }

    void int4(int value) throws IOException {
        out.writeInt(4);
        out.writeInt(value);
    }

    void float8(double value) throws IOException {
        out.writeInt(8);
        out.writeDouble(value);
    }

    /**
     * A {@code TIMESTAMP WITH TIME ZONE}; sub-microsecond digits are cut, as the column keeps
     * microseconds.
     */
    void timestamptz(Instant value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        long micros =
                Math.addExact(
                        Math.multiplyExact(value.getEpochSecond(), 1_000_000L),
                        value.getNano() / 1_000);
        out.writeInt(8);
        out.writeLong(micros - PG_EPOCH_MICROS);
    }

    int rows() {
        return rows;
    }

    int size() {
        return bytes.size();
    }

    /** The data with its trailer, ready for {@code COPY … FROM STDIN (FORMAT binary)}. */
    byte[] finish() throws IOException {
        out.writeShort(-1);
        return bytes.toByteArray();
    }
}
