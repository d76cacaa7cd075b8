package org.dtlab.job.backtest;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.FSDataInputStream;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ArchiveLineFormatTest {

    @Test
    void linesEndAtLineFeedsCarriageReturnsAndBothAsTheTextFormatSays() throws IOException {
        for (String text :
                List.of(
                        "",
                        "\n",
                        "\r",
                        "\r\n",
                        "\n\r",
                        "a",
                        "a\n",
                        "a\nb",
                        "a\r\nb\r\n",
                        "a\rb\r",
                        "a\r\rb",
                        "\n\n  \n\t\n",
                        "{\"path\":\"device/d1\",\"idx\":0,\"value\":1}\n\n"
                                + "{\"path\":\"device/d2\"}",
                        "été ☃ \uD83D\uDE00\nnext")) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (int bufferSize : new int[] {1, 2, 3, 7, ArchiveLineFormat.BUFFER_SIZE}) {
                assertThat(ours(bytes, bufferSize))
                        .as("%s with a buffer of %d", text, bufferSize)
                        .isEqualTo(textLines(bytes));
            }
        }
    }

    @Test
    void malformedUtf8BecomesTheSameReplacementCharacters() throws IOException {
        byte[][] texts = {
            {'a', (byte) 0xC3, '\n', 'b'},
            {(byte) 0xE2, (byte) 0x82, '\n', (byte) 0xE2, (byte) 0x82, (byte) 0xAC, '\n'},
            {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, '\r', '\n', (byte) 0x80, (byte) 0xBF},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n', (byte) 0xC0, (byte) 0xAF, '\n'},
            {(byte) 0xFF, (byte) 0xFE, 'x', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}
        };
        for (byte[] bytes : texts) {
            for (int bufferSize : new int[] {1, 2, 3, 5, 64}) {
                assertThat(ours(bytes, bufferSize)).isEqualTo(textLines(bytes));
            }
        }
    }

    @Test
    void randomBytesGiveTheSameLines() throws IOException {
        Random random = new Random(15);
        byte[] alphabet = {
            'a',
            '{',
            '"',
            ' ',
            '\n',
            '\r',
            (byte) 0xC3,
            (byte) 0xA9,
            (byte) 0xE2,
            (byte) 0x82,
            (byte) 0xAC,
            (byte) 0xF0,
            (byte) 0x9F,
            (byte) 0x98,
            (byte) 0x80,
            (byte) 0xFF,
            (byte) 0xED
        };
        for (int i = 0; i < 3_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] =
                        random.nextInt(4) == 0
                                ? (byte) random.nextInt(256)
                                : alphabet[random.nextInt(alphabet.length)];
            }
            int bufferSize = 1 + random.nextInt(9);
            assertThat(ours(bytes, bufferSize))
                    .as("%s, buffer %d", java.util.HexFormat.of().formatHex(bytes), bufferSize)
                    .isEqualTo(textLines(bytes));
        }
    }

    @Test
    void aLineLongerThanTheBufferIsReadWhole() throws IOException {
        String huge = "{\"path\":\"device/d1\",\"junk\":\"" + "x".repeat(300_000) + "\"}";
        byte[] bytes =
                ("short\n" + huge + "\r\n" + huge + "\nlast").getBytes(StandardCharsets.UTF_8);

        List<String> lines = ours(bytes, ArchiveLineFormat.BUFFER_SIZE);

        assertThat(lines).containsExactly("short", huge, huge, "last");
        assertThat(lines).isEqualTo(textLines(bytes));
    }

    /** The lines of our reader, over a stream that hands out few bytes a call. */
    private static List<String> ours(byte[] bytes, int bufferSize) throws IOException {
        return lines(new ArchiveLineFormat.Reader(new Trickle(bytes), bufferSize));
    }

    /** The lines of Flink's text format, which the back-test used before. */
    private static List<String> textLines(byte[] bytes) throws IOException {
        return lines(
                new TextLineInputFormat().createReader(new Configuration(), new Trickle(bytes)));
    }

    private static List<String> lines(StreamFormat.Reader<String> reader) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = reader.read(); line != null; line = reader.read()) {
            lines.add(line);
        }
        assertThat(reader.read()).as("after the end").isNull();
        reader.close();
        return lines;
    }

    /** A stream of bytes that returns at most 5 of them per read, like a slow decompressor. */
    private static final class Trickle extends FSDataInputStream {

        private final ByteArrayInputStream in;

        Trickle(byte[] bytes) {
            this.in = new ByteArrayInputStream(bytes);
        }

        @Override
        public void seek(long desired) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getPos() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, Math.min(len, 5));
        }
    }
}
