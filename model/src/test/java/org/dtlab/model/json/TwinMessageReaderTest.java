package org.dtlab.model.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import org.dtlab.model.telemetry.TwinMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TwinMessageReaderTest {

    /** The mapper as the reader uses it: one JSON value, nothing after it. */
    private static final ObjectReader BINDING =
            Json.mapper()
                    .readerFor(TwinMessage.class)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Every text: accepted by both alike, or refused by both with the same reason. */
    private static final List<String> TEXTS =
            List.of(
                    "{\"path\":\"machinery/m1\",\"idx\":0,\"value\":5.5,\"datetime\":\"2020-09-13T15:31:21.671Z\"}",
                    "{\"datetime\":\"2020-09-13T17:31:21.671+02:00\",\"value\":5,\"idx\":3,\"path\":\"machinery/m1\"}",
                    "{\"path\":\"machinery/m1\",\"name\":\"height\",\"value\":-1e-3}",
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"datetime\":1600000000000,\"controlVersion\":7}",
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"command\":\"telemetry\",\"extra\":{\"a\":[1,{\"b\":null}]},\"x\":[]}",
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":1} trailing",
                    "{\"path\":\"m/\\u00e4\\\"1\",\"idx\":0,\"value\":123456789012345678901234567890}",
                    // the canonical text, read by hand, and texts just beside it
                    "{\"path\":\"device/d1\",\"idx\":1,\"value\":0.212,\"datetime\":\"2026-01-01T00:00:00.000Z\"}",
                    "{\"path\":\"device/d1\",\"idx\":-7,\"value\":-0,\"datetime\":\"2026-01-01T00:00:00Z\"}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":-0.0}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":123456789012345678}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1234567890123456789}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":0.123456789012345678901}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1.5e3}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1E3}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":01.5}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":.5}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":5.}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":-}",
                    "{\"path\":\"device/d1\",\"idx\":00,\"value\":1}",
                    "{\"path\":\"device/d1\",\"idx\":123456789,\"value\":1}",
                    "{\"path\":\"device/d1\",\"idx\":2147483647,\"value\":1}",
                    "{\"path\":\"device/d1\",\"idx\":-0,\"value\":1}",
                    "{\"path\":\"device/d1\",\"command\":\"telemetry\",\"name\":\"t\\u00e9\",\"value\":2}",
                    "{\"path\":\"device/d1\",\"command\":\"telemetry\",\"name\":\"té\",\"value\":2}",
                    "{\"path\":\"device/d1\",\"command\":\"operator.delete\",\"idx\":0,\"value\":2}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1,\"datetime\":\"2026-02-30T00:00:00Z\"}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T01:00:00+01:00\"}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1,\"datetime\":\"\"}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1,\"datetime\":null}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:00:00Z\",\"datetime\":\"2027-01-01T00:00:00Z\"}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:00:00Z\"}"
                        + " ",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:00:00Z\"}}",
                    "{\"path\":\"device/d1\",\"idx\":0,\"value\":1,\"extra\":1}",
                    "{ \"path\":\"device/d1\",\"idx\":0,\"value\":1}",
                    "{\"path\":\"\",\"idx\":0,\"value\":1}",
                    "{\"path\":\"  \",\"idx\":0,\"value\":1}",
                    "{\"path\":\"a/\\\\b\",\"idx\":0,\"value\":1}",
                    "{\"path\":\"a/\tb\",\"idx\":0,\"value\":1}",
                    "{\"path\":\"a/b\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:00:00Z\"",
                    "{\"path\":\"a/b\",\"idx\":0,\"value\":1,\"datetime\":\"2026-01-01T00:00:00Z",
                    "{\"path\":\"a/b\",\"idx\":0,\"value\"",
                    "{\"path\":\"a/b\"",
                    "{\"path\":",
                    // refused, or read by the mapper
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":\"5.5\"}",
                    "{\"path\":\"m/1\",\"idx\":\"0\",\"value\":5.5}",
                    "{\"path\":\"m/1\",\"idx\":1.5,\"value\":5.5}",
                    "{\"path\":\"m/1\",\"idx\":4294967296,\"value\":5.5}",
                    "{\"path\":\"m/1\",\"idx\":null,\"value\":5.5}",
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":null}",
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":1e400}",
                    "{\"path\":\"m/1\",\"idx\":0,\"name\":\"a\",\"value\":1}",
                    "{\"path\":\"m/1\",\"value\":1}",
                    "{\"idx\":0,\"value\":1}",
                    "{\"path\":5,\"idx\":0,\"value\":1}",
                    "{\"path\":\"m/1\",\"idx\":0,\"idx\":1,\"value\":1}",
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"datetime\":\"yesterday\"}",
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"datetime\":\"0000-01-01T00:00:00Z\"}",
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"datetime\":1.5}",
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"datetime\":99999999999999999999}",
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"datetime\":-99999999999999}",
                    "{\"path\":\"m/1\",\"command\":\"operator.delete\"}",
                    "{\"path\":\"m/1\",\"command\":\"operator.put\",\"operator\":{\"name\":\"n\",\"implementation\":\"count\",\"input\":[0],\"output\":[1]}}",
                    "{\"path\":\"m/1\",\"command\":\"reboot\"}",
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":1,\"controlVersion\":\"3\"}",
                    "{\"path\":\"m/1\",\"idx\":0,\"value\":1",
                    "{\"path\":\"m/1\",\"idx\":0,,\"value\":1}",
                    "[1,2]",
                    "\"text\"",
                    "",
                    "   ",
                    "{}");

    @Test
    void theStreamingPathAndTheMapperAgreeOnEveryText() {
        for (String text : TEXTS) {
            assertThat(outcome(() -> TwinMessageReader.read(text)))
                    .as(text)
                    .isEqualTo(outcome(() -> BINDING.readValue(text)));
        }
    }

    /**
     * Text after the object is refused, as the API refuses it in a body (issue 18: it was applied
     * with the rest dropped), and so is the text {@code null}, which the mapper reads as no
     * message.
     */
    @Test
    void textAfterTheObjectAndNullAreRefused() {
        assertThat(
                        outcome(
                                () ->
                                        TwinMessageReader.read(
                                                "{\"path\":\"m/1\",\"idx\":0,\"value\":1}{}")))
                .startsWith("refused: malformed JSON: Trailing token");
        assertThat(
                        outcome(
                                () ->
                                        TwinMessageReader.read(
                                                "{\"path\":\"m/1\",\"idx\":0,\"value\":1} x")))
                .startsWith("refused: malformed JSON");
        assertThat(outcome(() -> TwinMessageReader.read("null")))
                .isEqualTo("refused: an observation must be a JSON object, not null");
    }

    @Test
    void aCommonTelemetryIsReadFieldByField() throws Exception {
        assertThat(
                        TwinMessageReader.read(
                                "{\"path\":\"m/1\",\"idx\":2,\"value\":5,\"datetime\":\"2020-09-13T15:31:21.6719Z\","
                                    + "\"controlVersion\":4}"))
                .isEqualTo(
                        new TwinMessage(
                                "m/1",
                                TwinMessage.Command.TELEMETRY,
                                2,
                                null,
                                5.0,
                                Instant.parse("2020-09-13T15:31:21.671Z"),
                                null,
                                4L));
    }

    @Test
    void theCanonicalTextIsReadWithoutAParserAndGivesTheSameMessage() throws Exception {
        java.util.Random random = new java.util.Random(15);
        int byHand = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = randomTelemetry(random);
            TwinMessage canonical = TwinMessageReader.readCanonical(text);
            if (canonical != null) {
                byHand++;
                assertThat(canonical).as(text).isEqualTo(BINDING.readValue(text));
            } else {
                assertThat(outcome(() -> TwinMessageReader.read(text)))
                        .as(text)
                        .isEqualTo(outcome(() -> BINDING.readValue(text)));
            }
        }
        assertThat(byHand).as("texts read by hand").isGreaterThan(5_000);
        assertThat(
                        TwinMessageReader.readCanonical(
                                "{\"path\":\"device/d0\",\"idx\":1,\"value\":0.212,"
                                        + "\"datetime\":\"2026-01-01T00:00:00.000Z\"}"))
                .isEqualTo(
                        TwinMessage.telemetry(
                                "device/d0", 1, 0.212, Instant.parse("2026-01-01T00:00:00Z")));
    }

    /** A telemetry as archives hold it, with a random value, datetime and now and then a flaw. */
    private static String randomTelemetry(java.util.Random random) {
        String[] values = {
            Double.toString(random.nextGaussian() * 100),
            Long.toString(random.nextLong() % 1_000_000_000_000L),
            String.format(java.util.Locale.ROOT, "%.3f", random.nextDouble() * 1000 - 500),
            String.format(java.util.Locale.ROOT, "%.20f", random.nextDouble()),
            Double.toString(random.nextDouble() * 1e300),
            Double.toString(Double.MIN_VALUE * random.nextInt(100)),
            "-0",
            "0",
            "-0.0",
            "9223372036854775807",
            "999999999999999999"
        };
        String value = values[random.nextInt(values.length)];
        String datetime =
                DateTimes.format(Instant.ofEpochMilli(random.nextLong() % 250_000_000_000_000L));
        String text =
                "{\"path\":\"device/d"
                        + random.nextInt(1000)
                        + "\","
                        + (random.nextInt(4) == 0 ? "\"command\":\"telemetry\"," : "")
                        + (random.nextInt(4) == 0
                                ? "\"name\":\"temperature\""
                                : "\"idx\":" + (random.nextInt(21) - 10))
                        + ",\"value\":"
                        + value
                        + (random.nextInt(4) == 0 ? "" : ",\"datetime\":\"" + datetime + "\"")
                        + "}";
        if (random.nextInt(10) == 0) {
            int at = random.nextInt(text.length());
            text =
                    text.substring(0, at)
                            + "\\\" 0.e-/:,}{".charAt(random.nextInt(10))
                            + text.substring(at + 1);
        }
        return text;
    }

    private interface Read {
        TwinMessage read() throws Exception;
    }

    private static String outcome(Read read) {
        try {
            return "accepted " + read.read();
        } catch (Exception e) {
            return "refused: " + Json.reason(e);
        }
    }
}
