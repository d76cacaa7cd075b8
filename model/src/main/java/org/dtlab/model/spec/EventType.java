package org.dtlab.model.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kinds of event a twin emits, with the original's JSON names (and ours for alarms). */
public enum EventType {
    /** A twin accepted its first telemetry. */
    @JsonProperty("Creation")
    CREATION("Creation"),
    /** A telemetry (or a timer of one of its operators) changed a twin's state values. */
    @JsonProperty("StateChange")
    STATE_CHANGE("StateChange"),
    /** An {@code alarm} or {@code stale} operator became active. */
    @JsonProperty("AlarmRaised")
    ALARM_RAISED("AlarmRaised"),
    /** An active {@code alarm} or {@code stale} operator cleared. */
    @JsonProperty("AlarmCleared")
    ALARM_CLEARED("AlarmCleared");

    private final String jsonName;

    EventType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name in JSON, the journal and webhook payloads. */
    public String jsonName() {
        return jsonName;
    }
}
