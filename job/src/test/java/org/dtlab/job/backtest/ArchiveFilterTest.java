package org.dtlab.job.backtest;

import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import org.dtlab.job.JobConstants;
import org.dtlab.job.runtime.TwinInput;
import org.dtlab.model.ValidationException;
import org.dtlab.model.event.Reject;
import org.dtlab.model.json.Json;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.model.telemetry.TwinPath;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The archive filter against what it did before it had fast paths: every line read by the mapper,
 * every path by {@link TwinPath#parse}, the same window, prefix and reject rows.
 */
class ArchiveFilterTest {

    /** The data binding the reader falls back to: one JSON object, nothing after it. */
    private static final ObjectReader MAPPER =
            Json.mapper()
                    .readerFor(TwinMessage.class)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final long FROM = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final long TO = Instant.parse("2026-01-01T01:00:00Z").toEpochMilli();

    private static final String HUGE =
            "{\"path\":\"device/d9\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:00:01Z\","
                    + "\"notes\":\""
                    + "ab\\\"c ".repeat(100_000)
                    + "\"}";

    private static final List<String> LINES =
            List.of(
                    // the canonical shape, inside and at the edges of the window
                    "{\"path\":\"device/d1\",\"idx\":1,\"value\":0.212,\"datetime\":\"2026-01-01T00:00:00.000Z\"}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":-3,\"datetime\":\"2026-01-01T00:59:59.999Z\"}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T01:00:00.000Z\"}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1,\"datetime\":\"2025-12-31T23:59:59.999Z\"}",
                    "{\"path\":\"other/o1\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:10:00Z\"}",
                    "{\"path\":\"devices/d1\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:10:00Z\"}",
                    // fields in any order, spaces, unknown and nested fields, a path to normalize
                    "{\"datetime\":\"2026-01-01T01:10:00+01:00\",\"value\":5,\"idx\":3,\"path\":\"device/d2\"}",
                    " { \"path\" : \"/device/d3/\" , \"idx\" : 0 , \"value\" : 2.5e1 , \"datetime\""
                            + " : \"2026-01-01T00:20:00Z\" } ",
                    "{\"path\":\"device/d4\",\"x\":{\"y\":[1,{\"z\":null}],\"w\":\"}\"},\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:30:00Z\"}",
                    "{\"path\":\"device/d4\",\"name\":\"temp\\u00e9rature"
                            + " \\\"x\\\"\",\"value\":1,\"datetime\":\"2026-01-01T00:30:00Z\"}",
                    "{\"path\":\"device/d4\",\"command\":\"telemetry\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:31:00Z\",\"controlVersion\":3}",
                    "{\"path\":\"device/d4\",\"idx\":0,\"value\":1,\"datetime\":1767225600000}",
                    // numbers as strings, and other types the mapper coerces or refuses
                    "{\"path\":\"device/d5\",\"idx\":\"0\",\"value\":\"5.5\",\"datetime\":\"2026-01-01T00:40:00Z\"}",
                    "{\"path\":\"device/d5\",\"idx\":0,\"value\":\"NaN\",\"datetime\":\"2026-01-01T00:40:00Z\"}",
                    "{\"path\":\"device/d5\",\"idx\":0,\"value\":true,\"datetime\":\"2026-01-01T00:40:00Z\"}",
                    "{\"path\":\"device/d5\",\"idx\":0,\"value\":1e400,\"datetime\":\"2026-01-01T00:40:00Z\"}",
                    // no datetime, bad datetime, bad path, bad JSON, bad UTF-8, blank lines
                    "{\"path\":\"device/d6\",\"idx\":0,\"value\":1}",
                    "{\"path\":\"device/d6\",\"idx\":0,\"value\":1,\"datetime\":null}",
                    "{\"path\":\"device/d6\",\"idx\":0,\"value\":1,\"datetime\":\"yesterday\"}",
                    "{\"path\":\"device\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:40:00Z\"}",
                    "{\"path\":\"device/d"
                            + " 6\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:40:00Z\"}",
                    "{\"path\":\"device/d6\",\"command\":\"operator.delete\",\"datetime\":\"2026-01-01T00:40:00Z\"}",
                    "not json at all",
                    "{\"path\":\"device/d6\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:40:00Z\"",
                    new String(
                            new byte[] {'{', '"', 'p', (byte) 0xC3, '"', ':', (byte) 0xFF, '}'},
                            StandardCharsets.UTF_8),
                    "{\"path\":\"device/d\uFFFD\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:40:00Z\"}",
                    "",
                    "   ",
                    "\t",
                    HUGE);

    @Test
    void acceptsRejectsAndWindowsEveryLineAsBefore() throws Exception {
        assertSameAsBefore(LINES, FROM, TO, "");
        assertSameAsBefore(LINES, FROM, TO, "/device");
        assertSameAsBefore(LINES, Long.MIN_VALUE, Long.MAX_VALUE, "device/d4");
    }

    @Test
    void randomArchiveLinesAsBefore() throws Exception {
        Random random = new Random(15);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String line =
                    "{\"path\":\"device/d"
                            + random.nextInt(50)
                            + "\",\"idx\":"
                            + random.nextInt(3)
                            + ",\"value\":"
                            + (random.nextGaussian() * 30)
                            + ",\"datetime\":\""
                            + Instant.ofEpochMilli(FROM - 600_000 + random.nextInt(4_800_000))
                            + "\"}";
            if (random.nextInt(20) == 0) {
                int at = random.nextInt(line.length());
                line =
                        line.substring(0, at)
                                + "\\\"/ 0.e}".charAt(random.nextInt(8))
                                + line.substring(at + 1);
            }
            lines.add(line);
        }
        assertSameAsBefore(lines, FROM, TO, "device/d1");
    }

    private static void assertSameAsBefore(List<String> lines, long from, long to, String prefix)
            throws Exception {
        OneInputStreamOperatorTestHarness<String, TwinInput> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new ArchiveFilter(from, to, prefix));
        List<TwinInput> kept = new ArrayList<>();
        List<Reject> rejects = new ArrayList<>();
        for (String line : lines) {
            harness.processElement(line, 0);
            before(line, from, to, prefix, kept, rejects);
        }

        assertThat(harness.extractOutputValues()).isEqualTo(kept);
        List<Reject> rejected = new ArrayList<>();
        if (harness.getSideOutput(JobConstants.REJECTS) != null) {
            harness.getSideOutput(JobConstants.REJECTS).forEach(r -> rejected.add(r.getValue()));
        }
        assertThat(rejected).isEqualTo(rejects);
        harness.close();
    }

    /** What the filter did with a line before its fast paths. */
    private static void before(
            String line,
            long from,
            long to,
            String prefix,
            List<TwinInput> kept,
            List<Reject> rejects) {
        if (line.isBlank()) {
            return;
        }
        String normalPrefix = prefix.startsWith("/") ? prefix.substring(1) : prefix;
        TwinMessage message;
        String path;
        try {
            message = MAPPER.readValue(line);
            path = TwinPath.parse(message.path()).toString();
            if (message.datetime() == null) {
                throw new ValidationException("an archived observation needs its datetime");
            }
        } catch (Exception e) {
            rejects.add(new Reject("archive", null, Json.reason(e), line, Instant.EPOCH));
            return;
        }
        long time = message.datetime().toEpochMilli();
        if ((!normalPrefix.isEmpty() && !path.startsWith(normalPrefix))
                || time < from
                || time >= to) {
            return;
        }
        kept.add(new TwinInput(path, "archive", message));
    }
}
