package org.dtlab.model.logic;

import org.dtlab.model.spec.EventType;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Telemetry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The original DT Lab's operator rules, through the state machine. */
class TwinMachineTest {

    private static final Instant T0 = Instant.parse("2020-09-13T15:31:21.671Z");

    /**
     * The original's examples/machinery.rest: props height, count, max, min, days, hours, minutes,
     * first seen.
     */
    private static final List<OperatorSpec> MACHINERY_OPERATORS =
            List.of(
                    op("count_height_readings", "count", List.of(0), List.of(1)),
                    op("max_height", "max", List.of(0), List.of(2)),
                    op("min_height", "Min", List.of(0), List.of(3)),
                    op("days_online", "days_active", List.of(0), List.of(4, 7)),
                    op("hours_online", "hours_active", List.of(0), List.of(5, 7)),
                    op("minutes_online", "minutes_active", List.of(0), List.of(6, 7)));

    @Test
    void machineryExampleGivesTheOriginalsResults() {
        TwinState state = TwinState.EMPTY;
        state = apply(state, 0, 5, T0, MACHINERY_OPERATORS).state();
        state = apply(state, 0, 9, T0.plusSeconds(1), MACHINERY_OPERATORS).state();
        state = apply(state, 0, 3, T0.plusSeconds(2), MACHINERY_OPERATORS).state();

        assertThat(values(state)).containsExactly(3.0, 3.0, 9.0, 3.0, 0.0, 0.0, 0.0, 1.0);
        assertThat(state.sequence()).isEqualTo(3);
        assertThat(state.version()).isEqualTo(3);
    }

    @Test
    void durationOperatorsCountWholeUnitsOfEventTimeSinceFirstSeen() {
        TwinState state = apply(TwinState.EMPTY, 0, 1, T0, MACHINERY_OPERATORS).state();
        Instant later = T0.plus(Duration.ofHours(3).plusMinutes(10));

        state = apply(state, 0, 1, later, MACHINERY_OPERATORS).state();

        assertThat(state.get(5).orElseThrow().value()).isEqualTo(3.0);
        assertThat(state.get(6).orElseThrow().value()).isEqualTo(190.0);
        assertThat(state.get(4).orElseThrow().value()).isEqualTo(0.0);
        assertThat(state.get(7).orElseThrow().datetime())
                .as("first seen is the first telemetry's time")
                .isEqualTo(T0);
    }

    @Test
    void durationOperatorsNeverGoBackwards() {
        List<OperatorSpec> ops = List.of(op("h", "hours_active", List.of(0), List.of(1, 2)));
        TwinState state = apply(TwinState.EMPTY, 0, 1, T0, ops).state();
        state = apply(state, 0, 1, T0.plus(Duration.ofHours(5)), ops).state();

        state = apply(state, 0, 1, T0.plus(Duration.ofHours(2)), ops).state();

        assertThat(state.get(1).orElseThrow().value()).isEqualTo(5.0);
    }

    @Test
    void operatorsSeeThePreUpdateState() {
        // max reads output idx 0, which is also the input: it compares against the old value.
        List<OperatorSpec> ops =
                List.of(
                        op("copy_max", "max", List.of(0), List.of(1)),
                        op("c", "count", List.of(0), List.of(0)));
        TwinState state = apply(TwinState.EMPTY, 0, 10, T0, ops).state();

        assertThat(state.get(0).orElseThrow().value())
                .as("the telemetry wins over an operator writing its own idx")
                .isEqualTo(10.0);
        assertThat(state.get(1).orElseThrow().value()).isEqualTo(10.0);
    }

    @Test
    void operatorOutputsDoNotTriggerOtherOperators() {
        List<OperatorSpec> ops =
                List.of(
                        op("count0", "count", List.of(0), List.of(1)),
                        op("count1", "count", List.of(1), List.of(2)));

        TwinState state = apply(TwinState.EMPTY, 0, 1, T0, ops).state();

        assertThat(state.get(1)).isPresent();
        assertThat(state.get(2)).as("no chaining").isEmpty();
    }

    @Test
    void aLaterOperatorWinsOnTheSameOutput() {
        List<OperatorSpec> ops =
                List.of(
                        op("a", "count", List.of(0), List.of(1)),
                        op("b", "max", List.of(0), List.of(1)));

        TwinState state = apply(TwinState.EMPTY, 0, 42, T0, ops).state();

        assertThat(state.get(1).orElseThrow().value()).isEqualTo(42.0);
    }

    @Test
    void directTelemetryToAnOutputIsWhereTheOperatorContinues() {
        List<OperatorSpec> ops = List.of(op("count", "count", List.of(0), List.of(1)));
        TwinState state = apply(TwinState.EMPTY, 0, 1, T0, ops).state();
        state = apply(state, 1, 100, T0, ops).state();

        state = apply(state, 0, 1, T0, ops).state();

        assertThat(state.get(1).orElseThrow().value()).isEqualTo(101.0);
    }

    @Test
    void minAndMaxRecordValuesBeyondTheOriginalsSentinels() {
        List<OperatorSpec> ops =
                List.of(
                        op("max", "max", List.of(0), List.of(1)),
                        op("min", "min", List.of(0), List.of(2)));

        TwinState state = apply(TwinState.EMPTY, 0, -5e12, T0, ops).state();
        state = apply(state, 0, 5e12, T0, ops).state();

        assertThat(state.get(1).orElseThrow().value()).isEqualTo(5e12);
        assertThat(state.get(2).orElseThrow().value()).isEqualTo(-5e12);
    }

    @Test
    void unknownImplementationsShortOutputsAndOtherInputsDoNothing() {
        List<OperatorSpec> ops =
                List.of(
                        op("mystery", "median", List.of(0), List.of(1)),
                        op("short", "hours_active", List.of(0), List.of(2)),
                        op("empty", "count", List.of(0), List.of()),
                        op("elsewhere", "count", List.of(3), List.of(4)));

        TwinState state = apply(TwinState.EMPTY, 0, 1, T0, ops).state();

        assertThat(state.properties()).extracting(Telemetry::idx).containsExactly(0);
    }

    @Test
    void sameValueWithANewDatetimeIsNotAChange() {
        Outcome first = apply(TwinState.EMPTY, 0, 7, T0, List.of());
        Outcome second = apply(first.state(), 0, 7, T0.plusSeconds(60), List.of());

        assertThat(changed(first)).isTrue();
        assertThat(changed(second)).isFalse();
        assertThat(second.state().get(0).orElseThrow().datetime()).isEqualTo(T0.plusSeconds(60));
        assertThat(second.state().sequence()).as("still journaled").isEqualTo(2);
    }

    @Test
    void anOperatorOutputChangeIsAChange() {
        List<OperatorSpec> ops = List.of(op("count", "count", List.of(0), List.of(1)));
        TwinState state = apply(TwinState.EMPTY, 0, 7, T0, ops).state();

        assertThat(changed(apply(state, 0, 7, T0, ops))).isTrue();
    }

    @Test
    void lastWriteWinsRegardlessOfDatetimeOrder() {
        TwinState state = apply(TwinState.EMPTY, 0, 1, T0, List.of()).state();

        state = apply(state, 0, 2, T0.minusSeconds(3600), List.of()).state();

        assertThat(state.get(0).orElseThrow().value()).isEqualTo(2.0);
    }

    @Test
    void propertiesStaySortedByIdx() {
        TwinState state = TwinState.EMPTY;
        for (int idx : new int[] {5, 1, 3, 0, 9, 3}) {
            state = apply(state, idx, idx, T0, List.of()).state();
        }

        assertThat(state.properties()).extracting(Telemetry::idx).containsExactly(0, 1, 3, 5, 9);
    }

    @Test
    void twinOperatorsReplaceTypeOperatorsOfTheSameName() {
        OperatorSpec typeCount = op("count", "count", List.of(0), List.of(1));
        OperatorSpec typeMax = op("max", "max", List.of(0), List.of(2));
        OperatorSpec ownCount = op("count", "count", List.of(0), List.of(3));

        CompiledType type = TestTwins.type(List.of(typeCount, typeMax));

        List<OperatorSpec> effective =
                type.operators(List.of(ownCount)).stream().map(Operator::spec).toList();

        assertThat(effective)
                .extracting(OperatorSpec::name, OperatorSpec::output)
                .containsExactly(tuple("max", List.of(2)), tuple("count", List.of(3)));
    }

    private static Outcome apply(
            TwinState state, int idx, double value, Instant at, List<OperatorSpec> ops) {
        return TestTwins.telemetry(TestTwins.registry(ops), state, idx, value, at);
    }

    private static boolean changed(Outcome outcome) {
        return outcome.events().stream().anyMatch(e -> e.type() == EventType.STATE_CHANGE);
    }

    private static List<Double> values(TwinState state) {
        return state.properties().stream().map(Telemetry::value).toList();
    }

    static OperatorSpec op(String name, String impl, List<Integer> in, List<Integer> out) {
        return new OperatorSpec(name, impl, null, in, out, null);
    }
}
