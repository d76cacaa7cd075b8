package org.dtlab.launcher.backtest;

import com.fasterxml.jackson.databind.JsonNode;
import org.dtlab.model.event.AlarmDetail;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.json.Json;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.telemetry.Telemetry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

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

    private static JsonNode read(TwinEvent event) throws Exception {
        return Json.mapper().readTree(EventLine.line("run \"7\"", event));
    }
}
