package org.dtlab.model.json;

import com.fasterxml.jackson.databind.ObjectReader;
import org.dtlab.model.telemetry.TwinMessage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TwinMessageReaderTest {

    private static final ObjectReader BINDING = Json.mapper().readerFor(TwinMessage.class);

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
                    "null",
                    "{}");

    @Test
    void theStreamingPathAndTheMapperAgreeOnEveryText() {
        for (String text : TEXTS) {
            assertThat(outcome(() -> TwinMessageReader.read(text)))
                    .as(text)
                    .isEqualTo(outcome(() -> BINDING.readValue(text)));
        }
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
