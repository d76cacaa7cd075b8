package org.dtlab.model.event;

import org.dtlab.model.telemetry.Telemetry;

import java.time.Instant;
import java.util.List;

/**
 * What an {@code AlarmRaised} or {@code AlarmCleared} event says about its alarm.
 *
 * @param name the alarm (or stale) operator's name
 * @param severity {@code critical}, {@code major}, {@code minor} or {@code warning}
 * @param since when the alarm became active (for a clear: when it had been raised)
 * @param values the twin's values of the operator's inputs at that moment: what caused it
 */
public record AlarmDetail(String name, String severity, Instant since, List<Telemetry> values) {

    public AlarmDetail {
        values = List.copyOf(values);
    }
}
