package org.dtlab.job.backtest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The lines of an archive file (UTF-8; the file source decompresses {@code .gz} files by their
 * name), exactly as {@link TextLineInputFormat} reads them — a line ends at {@code \n}, {@code \r}
 * or {@code \r\n}, a last line without an end counts, malformed UTF-8 becomes U+FFFD — but split on
 * bytes in a 64 KiB buffer and decoded once per line, instead of decoded to characters by a {@code
 * Reader} and copied again by {@code BufferedReader.readLine}.
 *
 * <p>Like {@code TextLineInputFormat} it does not split files and has no offsets to checkpoint: a
 * restored reader reads again and skips the lines it had emitted.
 */
public final class ArchiveLineFormat extends SimpleStreamFormat<String> {

    private static final long serialVersionUID = 1L;

    static final int BUFFER_SIZE = 64 * 1024;

    @Override
    public StreamFormat.Reader<String> createReader(
            Configuration config, FSDataInputStream stream) {
        return new Reader(stream, BUFFER_SIZE);
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }

    /** Reads lines from a stream of UTF-8 bytes. */
    static final class Reader implements StreamFormat.Reader<String> {

        private final InputStream in;
        private byte[] buffer;

        /** The first byte not yet returned. */
        private int position;

        /** The end of the bytes read into the buffer. */
        private int limit;

        /** The last line ended with {@code \r}: a {@code \n} right after it belongs to it. */
        private boolean afterCarriageReturn;

        /**
         * @param bufferSize the initial buffer; it grows for a line that does not fit
         */
        Reader(InputStream in, int bufferSize) {
            this.in = in;
            this.buffer = new byte[bufferSize];
        }

        @Nullable
        @Override
        public String read() throws IOException {
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (position == limit && !fill()) {
                    return null;
                }
                if (buffer[position] == '\n') {
                    position++;
                }
            }
            int scanned = position;
            while (true) {
                byte[] bytes = buffer;
                for (int i = scanned; i < limit; i++) {
                    byte b = bytes[i];
                    if (b == '\n' || b == '\r') {
                        String line =
                                new String(bytes, position, i - position, StandardCharsets.UTF_8);
                        position = i + 1;
                        afterCarriageReturn = b == '\r';
                        return line;
                    }
                }
                int pending = limit - position;
                if (!fill()) {
                    if (pending == 0) {
                        return null;
                    }
                    String last = new String(buffer, position, pending, StandardCharsets.UTF_8);
                    position = limit;
                    return last;
                }
                scanned = position + pending;
            }
        }

        /**
         * Moves the unread bytes to the front of the buffer (growing it when they fill it) and
         * reads more after them.
         *
         * @return {@code false} at the end of the stream
         */
        private boolean fill() throws IOException {
            int pending = limit - position;
            if (position > 0) {
                System.arraycopy(buffer, position, buffer, 0, pending);
                position = 0;
                limit = pending;
            }
            if (limit == buffer.length) {
                byte[] larger = new byte[buffer.length * 2];
                System.arraycopy(buffer, 0, larger, 0, limit);
                buffer = larger;
            }
            int read;
            do {
                read = in.read(buffer, limit, buffer.length - limit);
            } while (read == 0);
            if (read < 0) {
                return false;
            }
            limit += read;
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
