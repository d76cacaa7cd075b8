package org.dtlab.model.logic;

import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.json.Json;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.spec.RollupSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.state.TwinState;
import org.dtlab.model.telemetry.Contribution;
import org.dtlab.model.telemetry.TwinMessage;
import org.dtlab.model.telemetry.TwinPath;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Roll-ups: parents computed from their children, through the state machine and a reference run.
 */
class RollupsTest {

    private static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");

    /**
     * room(temp, occupied) under floor(avg_temp, max_temp, rooms_hot, rooms, hot) under
     * building(avg_temp, floors_hot, alarm).
     */
    static Registry buildings() {
        Registry r = Registry.empty();
        r =
                create(
                        r,
                        new TwinType(
                                "room", List.of("temp", "occupied"), List.of(), List.of(), null));
        r =
                create(
                        r,
                        new TwinType(
                                "floor",
                                List.of("avg_temp", "max_temp", "rooms_hot", "rooms", "min_temp"),
                                List.of("room"),
                                List.of(),
                                List.of(
                                        rollup("avg_temp", "room", "temp", "avg", null, 0),
                                        rollup("max_temp", "room", "temp", "max", null, 1),
                                        rollup(
                                                "rooms_hot",
                                                "room",
                                                "temp",
                                                "count_where",
                                                "temp > 26.0",
                                                2),
                                        rollup("rooms", "room", "temp", "count", null, 3),
                                        rollup("min_temp", "room", "temp", "min", null, 4)),
                                null));
        OperatorSpec hot =
                new OperatorSpec(
                        "too_warm",
                        "alarm",
                        null,
                        List.of(0),
                        List.of(2),
                        null,
                        null,
                        "avg_temp > 25.0",
                        null,
                        null,
                        null,
                        null,
                        null);
        r =
                create(
                        r,
                        new TwinType(
                                "building",
                                List.of("avg_temp", "floors_hot", "too_warm"),
                                List.of("floor"),
                                List.of(hot),
                                List.of(
                                        rollup("avg_temp", "floor", "avg_temp", "avg", null, 0),
                                        rollup("floors_hot", "floor", "rooms_hot", "sum", null, 1)),
                                null));
        return r;
    }

    private static RollupSpec rollup(
            String name, String child, String property, String agg, String where, int output) {
        return new RollupSpec(name, child, property, agg, where, List.of(output));
    }

    private static Registry create(Registry r, TwinType type) {
        Registry.Applied applied = r.apply(ControlMessage.createType("id", Instant.EPOCH, type));
        if (!applied.isApplied()) {
            throw new IllegalArgumentException(applied.reason());
        }
        return applied.registry();
    }

    private static String invalid(Registry r, TwinType type) {
        Registry.Applied applied = r.apply(ControlMessage.createType("id", Instant.EPOCH, type));
        assertThat(applied.outcome()).isEqualTo(Registry.Outcome.INVALID);
        return applied.reason();
    }

    private static TwinMessage temp(String room, double value, int second) {
        return TwinMessage.telemetry(room, 0, value, T0.plusSeconds(second));
    }

    private static double value(ReferenceRun.Result result, String path, int idx) {
        return result.states().get(path).get(idx).orElseThrow().value();
    }

    @Test
    void aFloorRollsUpItsRoomsAndABuildingItsFloors() {
        String r1 = "building/b1/floor/f1/room/r1";
        String r2 = "building/b1/floor/f1/room/r2";
        String r3 = "building/b1/floor/f2/room/r3";
        ReferenceRun.Result result =
                ReferenceRun.run(
                        buildings(),
                        List.of(temp(r1, 20, 0), temp(r2, 24, 1), temp(r3, 30, 2), temp(r1, 28, 3)),
                        Long.MAX_VALUE);

        String f1 = "building/b1/floor/f1";
        assertThat(value(result, f1, 0)).as("avg").isEqualTo(26.0);
        assertThat(value(result, f1, 1)).as("max").isEqualTo(28.0);
        assertThat(value(result, f1, 2)).as("rooms over 26").isEqualTo(1.0);
        assertThat(value(result, f1, 3)).as("rooms").isEqualTo(2.0);
        assertThat(value(result, f1, 4))
                .as("min after the holder of the minimum rose")
                .isEqualTo(24.0);
        assertThat(value(result, "building/b1", 0))
                .as("avg of the floors' averages")
                .isEqualTo(28.0);
        assertThat(value(result, "building/b1", 1)).as("hot rooms on all floors").isEqualTo(2.0);
        assertThat(value(result, "building/b1", 2))
                .as("the building's alarm on its roll-up")
                .isEqualTo(1.0);
        assertThat(result.events())
                .filteredOn(e -> e.type() == EventType.ALARM_RAISED)
                .extracting(TwinEvent::path, TwinEvent::created)
                .containsExactly(tuple("building/b1", T0.plusSeconds(2)));
    }

    @Test
    void theParentJournalsEachChangeStampedWithTheChildsTime() {
        String r1 = "building/b1/floor/f1/room/r1";
        ReferenceRun.Result result =
                ReferenceRun.run(
                        buildings(),
                        List.of(temp(r1, 20, 0), temp(r1, 20, 5), temp(r1, 21, 9)),
                        Long.MAX_VALUE);

        assertThat(result.journal())
                .filteredOn(j -> j.path().equals("building/b1/floor/f1") && j.idx() == 0)
                .as("an unchanged average is not written again")
                .extracting(JournalEntry::value, JournalEntry::datetime)
                .containsExactly(tuple(20.0, T0), tuple(21.0, T0.plusSeconds(9)));
    }

    @Test
    void resultsDoNotDependOnHowTwinsInterleave() {
        List<TwinMessage> messages = new ArrayList<>();
        Random random = new Random(7);
        for (int s = 0; s < 200; s++) {
            String room = "building/b" + (s % 2) + "/floor/f" + (s % 3) + "/room/r" + (s % 7);
            messages.add(temp(room, 18 + random.nextInt(120) / 10.0, s));
        }
        ReferenceRun.Result inOrder = ReferenceRun.run(buildings(), messages, Long.MAX_VALUE);

        // Another interleaving: twin after twin, in reverse path order (a stable sort keeps each
        // twin's own messages in time order).
        List<TwinMessage> byTwin = new ArrayList<>(messages);
        byTwin.sort(Comparator.comparing(TwinMessage::path).reversed());
        ReferenceRun.Result other = ReferenceRun.run(buildings(), byTwin, Long.MAX_VALUE);

        assertThat(other.states()).isEqualTo(inOrder.states());
        assertThat(other.journal()).containsExactlyInAnyOrderElementsOf(inOrder.journal());
    }

    @Test
    void reportsOfOneInstantApplyInChildOrderWhateverTheirArrival() {
        Registry registry = buildings();
        TwinPath floor = TwinPath.parse("building/b1/floor/f1");
        Contribution a =
                new Contribution(
                        floor.toString(),
                        "building/b1/floor/f1/room/a",
                        1,
                        T0,
                        List.of(
                                new Contribution.Value(
                                        "max_temp", definition(registry, "max_temp"), 30)));
        Contribution b =
                new Contribution(
                        floor.toString(),
                        "building/b1/floor/f1/room/b",
                        1,
                        T0,
                        List.of(
                                new Contribution.Value(
                                        "max_temp", definition(registry, "max_temp"), 31)));

        assertThat(List.of(b, a).stream().sorted(Contribution.SAME_INSTANT_ORDER).toList())
                .containsExactly(a, b);
    }

    @Test
    void aReportUnderAnotherDefinitionIsIgnored() {
        Registry registry = buildings();
        TwinPath floor = TwinPath.parse("building/b1/floor/f1");
        Contribution stale =
                new Contribution(
                        floor.toString(),
                        "building/b1/floor/f1/room/a",
                        1,
                        T0,
                        List.of(new Contribution.Value("max_temp", 12345, 30)));

        Outcome outcome =
                TwinMachine.onContribution(
                        registry, floor, TwinState.EMPTY, stale, ChildValues.inMemory());

        assertThat(outcome.state().properties()).isEmpty();
        assertThat(outcome.journal()).isEmpty();
    }

    @Test
    void childrenPastTheLimitAreRefusedNotCounted() {
        Registry registry = buildings();
        TwinPath floor = TwinPath.parse("building/b1/floor/f1");
        ChildValues children = ChildValues.inMemory();
        int hash = definition(registry, "rooms");
        TwinState state = TwinState.EMPTY;
        int refused = 0;
        for (int i = 0; i <= Rollup.MAX_CHILDREN; i++) {
            Contribution c =
                    new Contribution(
                            floor.toString(),
                            floor + "/room/r" + i,
                            1,
                            T0.plusMillis(i),
                            List.of(new Contribution.Value("rooms", hash, 1)));
            Outcome o = TwinMachine.onContribution(registry, floor, state, c, children);
            state = o.state();
            refused += o.refusedChildren();
        }

        assertThat(state.get(3).orElseThrow().value()).isEqualTo(Rollup.MAX_CHILDREN);
        assertThat(refused).isEqualTo(1);
    }

    @Test
    void aChildCountsFromItsFirstValueOfTheProperty() {
        ReferenceRun.Result result =
                ReferenceRun.run(
                        buildings(),
                        List.of(
                                TwinMessage.telemetry("building/b1/floor/f1/room/r1", 1, 1, T0),
                                temp("building/b1/floor/f1/room/r2", 22, 1)),
                        Long.MAX_VALUE);

        assertThat(value(result, "building/b1/floor/f1", 3))
                .as("only r2 has a temperature")
                .isEqualTo(1.0);
    }

    @Test
    void definitionsAreCheckedNamingTheRollupAndField() {
        Registry rooms =
                create(
                        Registry.empty(),
                        new TwinType("room", List.of("temp"), List.of(), List.of(), null));
        assertThat(invalid(rooms, floor(rollup("a", "desk", "temp", "avg", null, 0))))
                .isEqualTo(
                        "roll-up a: 'child' must be one of the type's children [room], not desk");
        assertThat(invalid(rooms, floor(rollup("a", "room", "temp", "median", null, 0))))
                .isEqualTo(
                        "roll-up a: 'agg' must be one of avg, min, max, sum, count, count_where");
        assertThat(invalid(rooms, floor(rollup("a", "room", "temp", "count_where", null, 0))))
                .isEqualTo("roll-up a: 'where' is required for count_where");
        assertThat(invalid(rooms, floor(rollup("a", "room", "temp", "avg", "temp > 1.0", 0))))
                .isEqualTo("roll-up a: 'where' is only for count_where");
        assertThat(invalid(rooms, floor(rollup("a", "room", "temp", "avg", null, 5))))
                .isEqualTo(
                        "roll-up a: 'output' [0] = 5 is not a property of type floor (it has 2)");
        assertThat(invalid(rooms, floor(rollup("a", "room", "humidity", "avg", null, 0))))
                .isEqualTo(
                        "roll-up a: 'property' 'humidity' is not a property of type room [temp]");
        assertThat(
                        invalid(
                                rooms,
                                floor(
                                        rollup(
                                                "a",
                                                "room",
                                                "temp",
                                                "count_where",
                                                "humidity > 1.0",
                                                0))))
                .startsWith("roll-up a: 'where' ");
        assertThat(
                        invalid(
                                rooms,
                                floor(
                                        rollup("a", "room", "temp", "avg", null, 0),
                                        rollup("b", "room", "temp", "max", null, 0))))
                .isEqualTo("roll-up b: 'output' [0] = 0 is written by another roll-up");
        assertThat(
                        invalid(
                                rooms,
                                floor(
                                        rollup("a", "room", "temp", "avg", null, 0),
                                        rollup("a", "room", "temp", "max", null, 1))))
                .isEqualTo("type floor: duplicate roll-up name a");
    }

    @Test
    void aRollupOverATypeDefinedLaterIsCheckedWhenItComesAndInertIfItLacksTheProperty() {
        Registry floors =
                create(Registry.empty(), floor(rollup("a", "room", "temp", "avg", null, 0)));
        Registry withRooms =
                create(
                        floors,
                        new TwinType("room", List.of("humidity"), List.of(), List.of(), null));

        ReferenceRun.Result result =
                ReferenceRun.run(
                        withRooms,
                        List.of(TwinMessage.telemetry("floor/f1/room/r1", 0, 50, T0)),
                        Long.MAX_VALUE);

        assertThat(result.states()).containsOnlyKeys("floor/f1/room/r1");
    }

    @Test
    void rollupsTravelInTheTypeJson() throws Exception {
        TwinType type =
                Json.mapper()
                        .readValue(
                                """
                                {"name":"floor","props":["avg_temp","rooms_hot"],"children":["room"],"rollups":[
                                 {"name":"avg_temp","child":"room","property":"temp","agg":"avg","output":[0]},
                                 {"name":"rooms_hot","child":"room","property":"temp","agg":"count_where","where":"temp > 26","output":[1]}]}
                                """,
                                TwinType.class);

        assertThat(type.rollups())
                .extracting(RollupSpec::name, RollupSpec::where)
                .containsExactly(tuple("avg_temp", null), tuple("rooms_hot", "temp > 26"));
        assertThat(Json.mapper().writeValueAsString(type))
                .contains("\"rollups\":[{\"name\":\"avg_temp\"");
    }

    private static TwinType floor(RollupSpec... rollups) {
        return new TwinType(
                "floor", List.of("x", "y"), List.of("room"), List.of(), List.of(rollups), null);
    }

    private static int definition(Registry registry, String rollup) {
        return registry.compiledType("floor").orElseThrow().rollup(rollup).definitionHash();
    }
}
