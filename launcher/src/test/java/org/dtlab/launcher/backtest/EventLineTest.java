package org.dtlab.launcher.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import org.dtlab.model.event.AlarmDetail;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.json.Json;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.telemetry.Telemetry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An event line carries the event's fields, and an alarm event's alarm, as the results table. */
class EventLineTest {

    private static final Instant T = Instant.parse("2026-12-07T10:00:00.250Z");
    private static final List<Telemetry> STATE = List.of(new Telemetry(0, 35.5, T));

    @Test
    void aStateChangeLineHasTheRunAndTheEventsFields() throws Exception {
        JsonNode line =
                read(
                        new TwinEvent(
                                "door/d1#2#StateChange",
                                EventType.STATE_CHANGE,
                                "door/d1",
                                "door",
                                2,
                                T,
                                STATE));

        assertThat(line.get("runId").asText()).isEqualTo("run \"7\"");
        assertThat(line.get("id").asText()).isEqualTo("door/d1#2#StateChange");
        assertThat(line.get("eventType").asText()).isEqualTo("StateChange");
        assertThat(line.get("sequence").asLong()).isEqualTo(2);
        assertThat(line.get("created").asText()).isEqualTo("2026-12-07T10:00:00.250Z");
        assertThat(line.get("state").get(0).get("value").asDouble()).isEqualTo(35.5);
        assertThat(line.has("alarm")).isFalse();
    }

    @Test
    void anAlarmLineHasTheAlarm() throws Exception {
        JsonNode line =
                read(
                        new TwinEvent(
                                "door/d1#2#AlarmRaised#open_too_long",
                                EventType.ALARM_RAISED,
                                "door/d1",
                                "door",
                                2,
                                T,
                                STATE,
                                new AlarmDetail("open_too_long", "warning", T, STATE)));

        JsonNode alarm = line.get("alarm");
        assertThat(alarm.get("name").asText()).isEqualTo("open_too_long");
        assertThat(alarm.get("severity").asText()).isEqualTo("warning");
        assertThat(alarm.get("since").asText()).isEqualTo("2026-12-07T10:00:00.250Z");
        assertThat(alarm.get("values").get(0).get("idx").asInt()).isZero();
    }

    @Test
    void theLineIsTheTextTheMapperWritesForTheSameFields() throws Exception {
        List<Telemetry> state =
                List.of(
                        new Telemetry(0, -0.0, Instant.EPOCH),
                        new Telemetry(1, Double.NaN, T),
                        new Telemetry(2, 1e-300, Instant.parse("+12026-01-01T00:00:00.123456789Z")),
                        new Telemetry(7, Double.POSITIVE_INFINITY, T));
        for (TwinEvent event :
                List.of(
                        new TwinEvent(
                                "d\\oor/d1#2#StateChange",
                                EventType.STATE_CHANGE,
                                "door/d1",
                                "door",
                                Long.MAX_VALUE,
                                T,
                                state),
                        new TwinEvent(
                                "door/d1#1#Creation",
                                EventType.CREATION,
                                "door/d1",
                                "door",
                                1,
                                Instant.EPOCH,
                                List.of()),
                        new TwinEvent(
                                "door/d1#2#AlarmCleared#open",
                                EventType.ALARM_CLEARED,
                                "door/d1",
                                "door",
                                2,
                                T,
                                state,
                                new AlarmDetail("open", "critical", T, state)))) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("runId", "run \"7\"\n\u00e9");
            fields.put("id", event.id());
            fields.put("eventType", event.type().jsonName());
            fields.put("path", event.path());
            fields.put("dtType", event.dtType());
            fields.put("sequence", event.sequence());
            fields.put("created", event.created());
            fields.put("state", event.state());
            if (event.alarm() != null) {
                fields.put("alarm", event.alarm());
            }

            assertThat(EventLine.line("run \"7\"\n\u00e9", event))
                    .isEqualTo(Json.mapper().writeValueAsString(fields));
        }
    }

    @Test
    void theEncoderWritesOneLinePerEventIntoEachStreamItIsGiven() throws Exception {
        TwinEvent first =
                new TwinEvent(
                        "door/d1#1#StateChange",
                        EventType.STATE_CHANGE,
                        "door/d1",
                        "door",
                        1,
                        T,
                        STATE);
        TwinEvent second =
                new TwinEvent(
                        "door/d1#2#StateChange",
                        EventType.STATE_CHANGE,
                        "door/d1",
                        "door",
                        2,
                        T,
                        List.of(new Telemetry(0, 36.0, T)));
        EventLine encoder = new EventLine("run 8");
        ByteArrayOutputStream part1 = new ByteArrayOutputStream();
        ByteArrayOutputStream part2 = new ByteArrayOutputStream();

        encoder.encode(first, part1);
        encoder.encode(second, part1);
        encoder.encode(first, part2);

        assertThat(part1.toString(StandardCharsets.UTF_8))
                .isEqualTo(
                        EventLine.line("run 8", first)
                                + "\n"
                                + EventLine.line("run 8", second)
                                + "\n");
        assertThat(part2.toString(StandardCharsets.UTF_8))
                .isEqualTo(EventLine.line("run 8", first) + "\n");
    }

    private static JsonNode read(TwinEvent event) throws Exception {
        return Json.mapper().readTree(EventLine.line("run \"7\"", event));
    }
}
