package org.dtlab.launcher.backtest;

import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.spec.EventType;

import java.util.Locale;

/**
 * Which events a back-test writes ({@code --events}): every event (the default), only alarm events
 * (raised and cleared), or none — then it writes only the final states, as an aggregate query
 * would, and spends nothing on the events' output.
 */
enum EventSelection {
    ALL,
    ALARMS,
    NONE;

    static EventSelection of(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--events must be all, alarms or none, got '" + text + "'");
        }
    }

    boolean keeps(TwinEvent event) {
        return switch (this) {
            case ALL -> true;
            case ALARMS ->
                    event.type() == EventType.ALARM_RAISED
                            || event.type() == EventType.ALARM_CLEARED;
            case NONE -> false;
        };
    }
}
