package org.dtlab.job.runtime;

import org.dtlab.model.event.ActiveAlarm;
import org.dtlab.model.event.AlarmDetail;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.telemetry.Telemetry;

import java.time.Instant;
import java.util.List;

/**
 * Outputs of every shape for the serializer tests: nulls, extremes, unicode, empty and long lists.
 */
final class TwinOutputSamples {

    static final Instant MIN = Instant.parse("-999999999-01-01T00:00:00Z");
    static final Instant MAX = Instant.parse("+999999999-12-31T23:59:59.999999999Z");
    static final Instant NANOS = Instant.parse("2026-11-29T03:04:05.123456789Z");
    static final Instant MILLIS = Instant.parse("2026-11-29T03:04:05.123Z");

    static final List<Telemetry> STATE =
            List.of(
                    new Telemetry(0, 1.5, MILLIS),
                    new Telemetry(1, Double.NaN, NANOS),
                    new Telemetry(7, -0.0, MIN),
                    new Telemetry(Integer.MAX_VALUE, Double.NEGATIVE_INFINITY, MAX),
                    new Telemetry(-1, Double.MIN_VALUE, Instant.EPOCH));

    private TwinOutputSamples() {}

    static TwinEvent[] events() {
        return new TwinEvent[] {
            new TwinEvent(
                    "machine/m1#1#Creation",
                    EventType.CREATION,
                    "machine/m1",
                    "machine",
                    1,
                    MILLIS,
                    List.of()),
            new TwinEvent(
                    "b/é✓/r/\uD83D\uDE00#9#StateChange",
                    EventType.STATE_CHANGE,
                    "b/é✓/r/\uD83D\uDE00",
                    null,
                    Long.MAX_VALUE,
                    NANOS,
                    STATE),
            new TwinEvent(
                    "door/d1#3#AlarmRaised",
                    EventType.ALARM_RAISED,
                    "door/d1",
                    "door",
                    3,
                    MIN,
                    STATE.subList(0, 2),
                    new AlarmDetail("open-too-long", "major", NANOS, STATE)),
            new TwinEvent(
                    "door/d1#4#AlarmCleared",
                    EventType.ALARM_CLEARED,
                    "door/d1",
                    "door",
                    -4,
                    MAX,
                    List.of(),
                    new AlarmDetail("open-too-long", null, null, List.of())),
        };
    }

    static JournalEntry[] journalEntries() {
        return new JournalEntry[] {
            new JournalEntry("machine/m1", 1, 0, 1.5, MILLIS),
            new JournalEntry("b/é✓/r/\uD83D\uDE00", Long.MIN_VALUE, -3, Double.NaN, NANOS),
            new JournalEntry("x/y", Long.MAX_VALUE, Integer.MAX_VALUE, -0.0, MIN),
            new JournalEntry("x/y", 0, Integer.MIN_VALUE, Double.MAX_VALUE, MAX),
        };
    }

    static TwinSnapshot[] snapshots() {
        OperatorSpec count = new OperatorSpec("count", "count", null, List.of(0), List.of(1), null);
        OperatorSpec full =
                new OperatorSpec(
                        "hot",
                        "alarm",
                        List.of(0.5, -2.0),
                        List.of(0, 1),
                        List.of(2),
                        NANOS,
                        "temp * 2",
                        "temp > 26",
                        "temp < 24",
                        "PT5M",
                        "critical",
                        "avg",
                        "PT1H");
        return new TwinSnapshot[] {
            new TwinSnapshot(
                    "machine/m1", null, "machine", "m1", 1, 1, List.of(), List.of(), MILLIS),
            new TwinSnapshot(
                    "b/b1/r/é✓",
                    "b/b1",
                    "r",
                    "é✓",
                    Long.MAX_VALUE,
                    -1,
                    STATE,
                    List.of(count, full),
                    NANOS,
                    List.of(
                            new ActiveAlarm("hot", "critical", MIN),
                            new ActiveAlarm("stale", null, null))),
            new TwinSnapshot("x/y", null, null, null, 0, 0, STATE, List.of(full), null, null),
        };
    }
}
