package org.dtlab.model.logic;

import org.dtlab.model.ValidationException;
import org.dtlab.model.control.Registry;
import org.dtlab.model.event.ActiveAlarm;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Telemetry;
import org.dtlab.model.telemetry.TwinMessage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ProgrammableOperatorsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private Registry registry;
    private TwinState state = TwinState.EMPTY;
    private final List<TwinEvent> events = new ArrayList<>();
    private int late;
    private int unevaluated;

    @Test
    void exprComputesFromPropertiesByNameWithIntegerLiterals() {
        define(List.of("t", "f"), expr("fahrenheit", "t * 1.8 + 32", 0, 1));

        send(0, 20, T0);

        assertThat(value(1)).isEqualTo(68.0);
        assertThat(state.get(1).orElseThrow().datetime()).isEqualTo(T0);
    }

    @Test
    void laterOperatorsSeeEarlierOutputsInTheSameStep() {
        define(
                List.of("odometer", "km_to_service", "service_due"),
                expr("remaining", "15000 - (odometer - 15000 * floor(odometer / 15000))", 0, 1),
                alarm("due", "km_to_service < 500", null, null, 0, 2));

        send(0, 14_600, T0);

        assertThat(value(1)).isEqualTo(400.0);
        assertThat(value(2)).isEqualTo(1.0);
        assertThat(alarmEvents())
                .extracting(TwinEvent::type)
                .containsExactly(EventType.ALARM_RAISED);
    }

    @Test
    void whenGatesAnyOperatorTheOriginalsIncluded() {
        define(
                List.of("v", "n"),
                new OperatorSpec(
                        "n",
                        "count",
                        null,
                        List.of(0),
                        List.of(1),
                        null,
                        null,
                        "v > 5.0",
                        null,
                        null,
                        null,
                        null,
                        null));

        send(0, 1, T0);
        send(0, 10, T0.plusSeconds(1));
        send(0, 2, T0.plusSeconds(2));

        assertThat(value(1)).isEqualTo(1.0);
    }

    @Test
    void anAlarmRaisesAndClearsWithEventsAndShowsInTheStateRow() {
        define(List.of("temp", "hot"), alarm("too_hot", "temp > 30", null, null, 0, 1, "critical"));

        send(0, 10, T0);
        assertThat(value(1)).as("an inactive alarm shows 0").isEqualTo(0.0);
        Outcome raised = send(0, 35, T0.plusSeconds(1));
        assertThat(value(1)).isEqualTo(1.0);
        assertThat(raised.snapshots().get(0).alarms())
                .containsExactly(new ActiveAlarm("too_hot", "critical", T0.plusSeconds(1)));
        send(0, 20, T0.plusSeconds(2));

        assertThat(value(1)).isEqualTo(0.0);
        assertThat(alarmEvents())
                .extracting(TwinEvent::type)
                .containsExactly(EventType.ALARM_RAISED, EventType.ALARM_CLEARED);
        TwinEvent first = alarmEvents().get(0);
        assertThat(first.id()).isEqualTo("t/one#2#AlarmRaised#too_hot");
        assertThat(first.alarm().severity()).isEqualTo("critical");
        assertThat(first.alarm().values()).extracting(Telemetry::value).containsExactly(35.0);
        assertThat(alarmEvents().get(1).alarm().since()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void theRowOfAStateIsTheRowItsLastOutcomeGave() {
        define(List.of("temp", "hot"), alarm("too_hot", "temp > 30", null, null, 0, 1, "critical"));
        assertThat(TwinMachine.row(registry, TestTwins.TWIN, TwinState.EMPTY)).isNull();

        for (Outcome outcome :
                List.of(
                        send(0, 10, T0),
                        send(0, 35, T0.plusSeconds(1)),
                        send(0, 36, T0.plusSeconds(2)),
                        send(0, 20, T0.plusSeconds(3)))) {
            assertThat(TwinMachine.row(registry, TestTwins.TWIN, outcome.state()))
                    .isEqualTo(outcome.snapshots().get(0));
        }
    }

    @Test
    void aClearConditionGivesHysteresis() {
        define(List.of("temp", "hot"), alarm("hot", "temp > 30", "temp < 25", null, 0, 1));

        send(0, 35, T0);
        send(0, 28, T0.plusSeconds(1));
        assertThat(value(1)).as("between the thresholds it stays raised").isEqualTo(1.0);
        send(0, 24, T0.plusSeconds(2));

        assertThat(value(1)).isEqualTo(0.0);
    }

    @Test
    void aDoorOpenTooLongRaisesInEventTimeWithoutAnotherTelemetry() {
        define(
                List.of("open", "alarm"),
                alarm("door_open_too_long", "open == 1", null, "PT10M", 0, 1));

        Outcome opened = send(0, 1, T0);
        assertThat(opened.nextDeadline()).isEqualTo(T0.plus(Duration.ofMinutes(10)).toEpochMilli());
        tick(T0.plus(Duration.ofMinutes(9)));
        assertThat(value(1)).isEqualTo(0.0);
        tick(T0.plus(Duration.ofMinutes(30)));

        assertThat(value(1)).isEqualTo(1.0);
        TwinEvent raised = alarmEvents().get(0);
        assertThat(raised.created())
                .as("stamped with the deadline, not the tick")
                .isEqualTo(T0.plus(Duration.ofMinutes(10)));
        assertThat(raised.id())
                .isEqualTo(
                        "t/one#1@"
                                + T0.plus(Duration.ofMinutes(10)).toEpochMilli()
                                + "#AlarmRaised#door_open_too_long");
        assertThat(state.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theEndOfTimeSettlesEveryDeadlineOnce() {
        define(
                List.of("open", "alarm", "quiet", "avg"),
                alarm("open_too_long", "open == 1", null, "PT10M", 0, 1),
                new OperatorSpec(
                        "quiet",
                        "stale",
                        null,
                        List.of(0),
                        List.of(2),
                        null,
                        null,
                        null,
                        null,
                        "PT1H",
                        null,
                        null,
                        null),
                window("avg", "avg", 3));

        send(0, 1, T0);
        tick(Instant.ofEpochMilli(Long.MAX_VALUE));

        assertThat(List.of(value(1), value(2), value(3))).containsExactly(1.0, 1.0, 1.0);
        assertThat(state.nextDeadline()).isEqualTo(Long.MAX_VALUE);
        assertThat(alarmEvents()).hasSize(2);
    }

    @Test
    void aDoorClosedInTimeRaisesNothing() {
        define(
                List.of("open", "alarm"),
                alarm("door_open_too_long", "open == 1", null, "PT10M", 0, 1));

        send(0, 1, T0);
        send(0, 0, T0.plus(Duration.ofMinutes(5)));
        tick(T0.plus(Duration.ofHours(1)));

        assertThat(alarmEvents()).isEmpty();
        assertThat(value(1)).isEqualTo(0.0);
    }

    @Test
    void aStaleTwinRaisesAfterSilenceAndClearsOnItsNextTelemetry() {
        define(
                List.of("motion", "silent"),
                new OperatorSpec(
                        "silent",
                        "stale",
                        null,
                        List.of(0),
                        List.of(1),
                        null,
                        null,
                        null,
                        null,
                        "PT5M",
                        "warning",
                        null,
                        null));

        send(0, 1, T0);
        send(0, 1, T0.plus(Duration.ofMinutes(4)));
        tick(T0.plus(Duration.ofMinutes(8)));
        assertThat(value(1)).as("4 minutes of silence so far").isEqualTo(0.0);
        tick(T0.plus(Duration.ofMinutes(9)));
        assertThat(value(1)).isEqualTo(1.0);
        send(0, 0, T0.plus(Duration.ofMinutes(20)));

        assertThat(value(1)).isEqualTo(0.0);
        assertThat(alarmEvents())
                .extracting(TwinEvent::type)
                .containsExactly(EventType.ALARM_RAISED, EventType.ALARM_CLEARED);
        assertThat(alarmEvents().get(0).created()).isEqualTo(T0.plus(Duration.ofMinutes(9)));
    }

    @Test
    void changeOperatorsFollowTheirInput() {
        define(
                List.of("v", "delta", "rate", "integral", "counter", "ewma"),
                change("delta", 1),
                change("rate", 2),
                change("integral", 3),
                change("counter", 4),
                new OperatorSpec("ewma", "ewma", List.of(0.5), List.of(0), List.of(5), null));

        send(0, 10, T0);
        send(0, 30, T0.plusSeconds(10));
        send(0, 5, T0.plusSeconds(20)); // the meter was reset

        assertThat(value(1)).isEqualTo(-25.0);
        assertThat(value(2)).isEqualTo(-2.5);
        assertThat(value(3)).isEqualTo((10 + 30) / 2.0 * 10 + (30 + 5) / 2.0 * 10);
        assertThat(value(4)).isEqualTo(20 + 5.0);
        assertThat(value(5)).isEqualTo(0.5 * 5 + 0.5 * (0.5 * 30 + 0.5 * 10));
    }

    @Test
    void aTelemetryOlderThanItsInputsLastIsLateForChangeOperators() {
        define(List.of("v", "delta"), change("delta", 1));

        send(0, 10, T0);
        send(0, 30, T0.plusSeconds(10));
        send(0, 99, T0.plusSeconds(5));

        assertThat(value(1)).isEqualTo(20.0);
        assertThat(late).isEqualTo(1);
    }

    @Test
    void aWindowWritesItsAggregateWhenItClosesStampedWithItsEnd() {
        define(List.of("v", "avg", "max"), window("avg", "avg", 1), window("max", "max", 2));

        send(0, 10, T0.plusSeconds(10));
        send(0, 20, T0.plusSeconds(40));
        tick(T0.plusSeconds(59));
        assertThat(state.get(1)).as("still open").isEmpty();
        send(0, 100, T0.plusSeconds(70)); // the next window: closes the first before it counts

        assertThat(value(1)).isEqualTo(15.0);
        assertThat(value(2)).isEqualTo(20.0);
        assertThat(state.get(1).orElseThrow().datetime()).isEqualTo(T0.plusSeconds(60));
        send(0, 1, T0.plusSeconds(30)); // belongs to the closed window
        assertThat(late).isEqualTo(2);
        tick(T0.plusSeconds(200));
        assertThat(value(1)).isEqualTo(100.0);
    }

    @Test
    void windowAggregatesAreOrderIndependentWithinTheWindow() {
        define(
                List.of("v", "first", "last", "sd", "n", "sum", "min"),
                window("f", "first", 1),
                window("l", "last", 2),
                window("s", "stddev", 3),
                window("n", "count", 4),
                window("sum", "sum", 5),
                window("min", "min", 6));

        send(0, 4, T0.plusSeconds(20));
        send(0, 2, T0.plusSeconds(10));
        send(0, 6, T0.plusSeconds(30));
        tick(T0.plusSeconds(60));

        assertThat(value(1)).isEqualTo(2.0);
        assertThat(value(2)).isEqualTo(6.0);
        assertThat(value(3)).isCloseTo(Math.sqrt(8.0 / 3), within(1e-12));
        assertThat(value(4)).isEqualTo(3.0);
        assertThat(value(5)).isEqualTo(12.0);
        assertThat(value(6)).isEqualTo(2.0);
    }

    @Test
    void anExpressionThatCannotBeComputedWritesNothingAndIsCounted() {
        define(List.of("a", "b", "ratio"), expr("ratio", "a / b", 0, 2));

        send(0, 1, T0); // b has no value yet
        send(1, 0, T0.plusSeconds(1));
        send(0, 2, T0.plusSeconds(2)); // division by zero

        assertThat(state.get(2)).isEmpty();
        assertThat(unevaluated).isEqualTo(2);
    }

    @Test
    void removingAnActiveAlarmClearsIt() {
        define(List.of("temp", "hot"));
        OperatorSpec own = alarm("hot", "temp > 30", null, null, 0, 1);
        apply(
                TwinMachine.onMessage(
                        registry,
                        TestTwins.TWIN,
                        state,
                        TwinMessage.putOperator("t/one", own, T0)));
        send(0, 35, T0.plusSeconds(1));
        apply(
                TwinMachine.onMessage(
                        registry,
                        TestTwins.TWIN,
                        state,
                        TwinMessage.deleteOperators("t/one", T0.plusSeconds(2))));

        send(0, 36, T0.plusSeconds(3));

        assertThat(alarmEvents())
                .extracting(TwinEvent::type)
                .containsExactly(EventType.ALARM_RAISED, EventType.ALARM_CLEARED);
        assertThat(state.memory()).isEmpty();
        assertThat(value(1)).as("shown as cleared").isEqualTo(0.0);
    }

    @Test
    void badDefinitionsAreRejectedNamingTheOperatorAndField() {
        List<String> props = List.of("temp", "out");
        assertInvalid(props, expr("e", "tmp * 2", 0, 1), "operator e: 'expr'", "tmp");
        assertInvalid(props, expr("e", "temp *", 0, 1), "operator e: 'expr'", "1:");
        assertInvalid(
                props, alarm("a", "temp + 1", null, null, 0, 1), "operator a: 'when'", "bool");
        assertInvalid(
                props,
                alarm("a", "temp > 1", null, "10 minutes", 0, 1),
                "operator a: 'for'",
                "ISO-8601");
        assertInvalid(
                props,
                alarm("a", "temp > 1", null, "P400D", 0, 1),
                "operator a: 'for'",
                "between PT0S and P366D");
        assertInvalid(
                props,
                alarm("a", "temp > 1", null, null, 0, 7),
                "operator a: 'output'",
                "not a property");
        assertInvalid(
                props,
                alarm("a", "temp > 1", null, null, 0, 1, "urgent"),
                "operator a: 'severity'",
                "critical");
        assertInvalid(props, window("w", "median", 1), "operator w: 'agg'", "avg");
        assertInvalid(
                props,
                new OperatorSpec(
                        "w",
                        "window",
                        null,
                        List.of(0),
                        List.of(1),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        "avg",
                        "PT10S"),
                "operator w: 'size'",
                "between");
        assertInvalid(
                props,
                new OperatorSpec("e", "ewma", List.of(2.0), List.of(0), List.of(1), null),
                "operator e: 'params'",
                "alpha");
        assertInvalid(
                props,
                new OperatorSpec("d", "delta", null, List.of(0, 1), List.of(1), null),
                "operator d: 'input'",
                "exactly one");
    }

    @Test
    void theOriginalSixTakeOnlyIndexesOfTheType() {
        List<String> props = List.of("temp", "out");
        for (int bad : new int[] {-1, 2, 99, Integer.MAX_VALUE}) {
            assertInvalid(
                    props,
                    new OperatorSpec("c", "count", null, List.of(0), List.of(bad), null),
                    "operator c: 'output'",
                    "[0] = " + bad + " is not a property of type");
            assertInvalid(
                    props,
                    new OperatorSpec("m", "Max", null, List.of(bad), List.of(1), null),
                    "operator m: 'input'",
                    "[0] = " + bad + " is not a property of type");
        }
        assertInvalid(
                props,
                new OperatorSpec("h", "hours_active", null, List.of(0), List.of(1, 5), null),
                "operator h: 'output'",
                "[1] = 5");
    }

    @Test
    void anUnknownImplementationIsStoredAndInert() {
        define(
                List.of("v", "out"),
                new OperatorSpec(
                        "m",
                        "median",
                        null,
                        List.of(0),
                        List.of(1),
                        null,
                        "nonsense (",
                        null,
                        null,
                        "whenever",
                        null,
                        null,
                        null));

        send(0, 1, T0);

        assertThat(state.get(1)).isEmpty();
    }

    /**
     * Rule 2 at the model's level: however the deadlines of a twin are settled — by timers firing
     * whenever event time passes them (live), or only by the twin's next records and at the end
     * (BATCH) — the twin ends in the same state with the same events, ids included.
     */
    @Test
    void timersFiringAnyTimeGiveTheSameResultsAsSettlingAtRecords() {
        List<String> props =
                List.of(
                        "v",
                        "f",
                        "hot",
                        "quiet",
                        "avg",
                        "rate",
                        "counter",
                        "ewma",
                        "integral",
                        "delta");
        List<OperatorSpec> ops =
                List.of(
                        expr("f", "v * 1.8 + 32", 0, 1),
                        alarm("hot", "v > 60", "v < 40", "PT2M", 0, 2),
                        new OperatorSpec(
                                "quiet",
                                "stale",
                                null,
                                List.of(0),
                                List.of(3),
                                null,
                                null,
                                null,
                                null,
                                "PT5M",
                                null,
                                null,
                                null),
                        window("avg", "avg", 4),
                        change("rate", 5),
                        change("counter", 6),
                        new OperatorSpec(
                                "ewma", "ewma", List.of(0.3), List.of(0), List.of(7), null),
                        change("integral", 8),
                        change("delta", 9));
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            List<Instant> times = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            Instant t = T0;
            for (int i = 0; i < 200; i++) {
                t = t.plusMillis(1 + random.nextInt(random.nextInt(10) == 0 ? 900_000 : 60_000));
                times.add(t);
                values.add((double) random.nextInt(100));
            }
            Instant end = t.plus(Duration.ofHours(1));

            ProgrammableOperatorsTest live = new ProgrammableOperatorsTest();
            live.define(props, ops.toArray(OperatorSpec[]::new));
            ProgrammableOperatorsTest batch = new ProgrammableOperatorsTest();
            batch.define(props, ops.toArray(OperatorSpec[]::new));
            for (int i = 0; i < times.size(); i++) {
                if (random.nextBoolean()) {
                    // Event time passes somewhere between the previous record and this one.
                    Instant before = i == 0 ? T0 : times.get(i - 1);
                    live.tick(
                            before.plusMillis(
                                    random.nextLong(
                                            Math.max(
                                                    1,
                                                    Duration.between(before, times.get(i))
                                                            .toMillis()))));
                }
                live.send(0, values.get(i), times.get(i));
                batch.send(0, values.get(i), times.get(i));
            }
            live.tick(end);
            batch.tick(end);

            assertThat(live.state).as("seed %d", seed).isEqualTo(batch.state);
            assertThat(live.events).as("seed %d", seed).isEqualTo(batch.events);
            assertThat(batch.alarmEvents()).as("seed %d exercises the alarms", seed).isNotEmpty();
        }
    }

    // -- helpers

    private void define(List<String> props, OperatorSpec... ops) {
        registry = TestTwins.registry(props, List.of(ops));
    }

    private Outcome send(int idx, double value, Instant at) {
        return apply(TestTwins.telemetry(registry, state, idx, value, at));
    }

    private void tick(Instant at) {
        apply(TwinMachine.onTime(registry, TestTwins.TWIN, state, at.toEpochMilli()));
    }

    private Outcome apply(Outcome outcome) {
        assertThat(outcome.rejection()).isNull();
        state = outcome.state();
        events.addAll(outcome.events());
        late += outcome.lateForOperators();
        unevaluated += outcome.unevaluated();
        return outcome;
    }

    private double value(int idx) {
        return state.get(idx).orElseThrow().value();
    }

    private List<TwinEvent> alarmEvents() {
        return events.stream().filter(e -> e.alarm() != null).toList();
    }

    private static void assertInvalid(List<String> props, OperatorSpec op, String... parts) {
        assertThatThrownBy(() -> TestTwins.registry(props, List.of(op)))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(parts));
        assertThatThrownBy(
                        () ->
                                CompiledType.of(
                                        new org.dtlab.model.spec.TwinType(
                                                "t", props, null, List.of(op), null)))
                .isInstanceOf(ValidationException.class);
    }

    static OperatorSpec expr(String name, String expr, int in, int out) {
        return new OperatorSpec(
                name,
                "expr",
                null,
                List.of(in),
                List.of(out),
                null,
                expr,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    static OperatorSpec alarm(
            String name, String when, String clear, String forDuration, int in, int out) {
        return alarm(name, when, clear, forDuration, in, out, null);
    }

    static OperatorSpec alarm(
            String name,
            String when,
            String clear,
            String forDuration,
            int in,
            int out,
            String severity) {
        return new OperatorSpec(
                name,
                "alarm",
                null,
                List.of(in),
                List.of(out),
                null,
                null,
                when,
                clear,
                forDuration,
                severity,
                null,
                null);
    }

    static OperatorSpec change(String implementation, int out) {
        return new OperatorSpec(
                implementation, implementation, null, List.of(0), List.of(out), null);
    }

    static OperatorSpec window(String name, String agg, int out) {
        return new OperatorSpec(
                name,
                "window",
                null,
                List.of(0),
                List.of(out),
                null,
                null,
                null,
                null,
                null,
                null,
                agg,
                "PT1M");
    }
}
