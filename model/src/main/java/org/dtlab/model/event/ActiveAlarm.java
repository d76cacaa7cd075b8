package org.dtlab.model.event;

import java.time.Instant;

/** An alarm of a twin that is active now, as its state row lists it. */
public record ActiveAlarm(String name, String severity, Instant since) {}
