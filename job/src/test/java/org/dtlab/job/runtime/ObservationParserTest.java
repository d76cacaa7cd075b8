package org.dtlab.job.runtime;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.dtlab.job.JobConstants;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.event.Reject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ObservationParserTest {

    private OneInputStreamOperatorTestHarness<RawRecord, TwinInput> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forProcessFunction(new ObservationParser());
    }

    @Test
    void parsesTelemetryAndCanonicalisesThePath() throws Exception {
        harness.processElement(
                record(
                        "{\"path\":\"/machinery/m1/\",\"idx\":0,\"value\":5.5,\"datetime\":\"2020-09-13T17:31:21.671+02:00\"}"),
                0);

        TwinInput input = harness.extractOutputValues().get(0);
        assertThat(input.path()).isEqualTo("machinery/m1");
        assertThat(input.origin()).isEqualTo("dtlab.observations/1@7");
        assertThat(input.message().datetime()).isEqualTo(Instant.parse("2020-09-13T15:31:21.671Z"));
    }

    @Test
    void aMessageWithoutDatetimeTakesItsRecordTimestamp() throws Exception {
        harness.processElement(
                record("{\"path\":\"machinery/m1\",\"name\":\"height\",\"value\":1}"), 0);

        assertThat(harness.extractOutputValues().get(0).message().datetime())
                .isEqualTo(Instant.ofEpochMilli(42_000));
    }

    @Test
    void garbageGoesToRejectsWithOriginAndReason() throws Exception {
        for (String payload :
                List.of(
                        "{not json",
                        "[1,2]",
                        "",
                        "{\"path\":\"machinery\",\"idx\":0,\"value\":1}",
                        "{\"path\":\"machinery/m 1\",\"idx\":0,\"value\":1}",
                        "{\"path\":\"machinery/m1\",\"idx\":0,\"value\":\"NaN\"}",
                        "{\"path\":\"machinery/m1\",\"command\":\"explode\"}",
                        "{\"path\":\"machinery/m1\",\"command\":\"operator.put\",\"operator\":{\"name\":\"x\"}}")) {
            harness.processElement(record(payload), 0);
        }

        assertThat(harness.extractOutputValues()).isEmpty();
        List<Reject> rejects =
                harness.getSideOutput(JobConstants.REJECTS).stream()
                        .map(StreamRecord::getValue)
                        .toList();
        assertThat(rejects)
                .hasSize(8)
                .allSatisfy(
                        r -> {
                            assertThat(r.origin()).isEqualTo("dtlab.observations/1@7");
                            assertThat(r.reason()).isNotBlank();
                        });
        assertThat(rejects)
                .extracting(Reject::reason)
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("malformed JSON"),
                        r -> assertThat(r).startsWith("malformed JSON"),
                        r -> assertThat(r).isEqualTo("empty record"),
                        r -> assertThat(r).contains("1 to 10 levels"),
                        r ->
                                assertThat(r)
                                        .isEqualTo(
                                                "invalid instance id 'm 1': use 1-128 characters"
                                                        + " from A-Z a-z 0-9 _ - . : @ ~"),
                        r -> assertThat(r).isEqualTo("telemetry value must be a finite number"),
                        r -> assertThat(r).contains("explode", "not one of the values accepted"),
                        r -> assertThat(r).isEqualTo("operator x: implementation is required"));
    }

    private static RawRecord record(String payload) {
        return RawRecord.of("dtlab.observations/1@7", "machinery/m1", payload, 42_000);
    }
}
