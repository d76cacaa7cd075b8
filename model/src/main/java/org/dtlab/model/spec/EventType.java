package org.dtlab.model.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kinds of event a twin emits, with the original's JSON names. */
public enum EventType {
    /** A twin accepted its first telemetry. */
    @JsonProperty("Creation")
    CREATION("Creation"),
    /** A telemetry changed a twin's state values. */
    @JsonProperty("StateChange")
    STATE_CHANGE("StateChange");

    private final String jsonName;

    EventType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name in JSON, the journal and webhook payloads. */
    public String jsonName() {
        return jsonName;
    }
}
