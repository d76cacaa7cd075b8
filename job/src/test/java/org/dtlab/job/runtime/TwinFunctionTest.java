package org.dtlab.job.runtime;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.dtlab.job.JobConstants;
import org.dtlab.job.testutils.Records;
import org.dtlab.model.control.ControlMessage;
import org.dtlab.model.control.Registry;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.event.Reject;
import org.dtlab.model.event.SpecChange;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.event.WebhookDelivery;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.spec.OperatorSpec;
import org.dtlab.model.spec.RollupSpec;
import org.dtlab.model.spec.TwinType;
import org.dtlab.model.spec.WebhookSpec;
import org.dtlab.model.spec.WebhookTarget;
import org.dtlab.model.telemetry.Contribution;
import org.dtlab.model.telemetry.Telemetry;
import org.dtlab.model.telemetry.TwinMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.dtlab.job.testutils.Records.T0;
import static org.dtlab.job.testutils.Records.createType;
import static org.dtlab.job.testutils.Records.deleteType;
import static org.dtlab.job.testutils.Records.op;

class TwinFunctionTest {

    private static final List<String> MACHINERY_PROPS = List.of("height", "count", "max");

    private KeyedBroadcastOperatorTestHarness<String, TwinInput, RawRecord, TwinEvent> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aFirstTelemetryJournalsCreatesAndChangesTheTwin() throws Exception {
        harness = heapHarness();
        harness.processBroadcastElement(
                createType("machinery", MACHINERY_PROPS, List.of(), List.of()), 0);

        harness.processElement(telemetry("machinery/m1", 0, 5.5, T0), 0);

        assertThat(journal()).containsExactly(new JournalEntry("machinery/m1", 1, 0, 5.5, T0));
        assertThat(events())
                .extracting(TwinEvent::type)
                .containsExactly(EventType.CREATION, EventType.STATE_CHANGE);
        TwinEvent change = events().get(1);
        assertThat(change.id()).isEqualTo("machinery/m1#1#StateChange");
        assertThat(change.state()).containsExactly(new Telemetry(0, 5.5, T0));
        assertThat(change.created()).isEqualTo(T0);
        TwinSnapshot snapshot = snapshots().get(0);
        assertThat(snapshot.version()).isEqualTo(1);
        assertThat(snapshot.parentPath()).isNull();
        assertThat(snapshot.dtType()).isEqualTo("machinery");
        assertThat(rejects()).isEmpty();
    }

    @Test
    void theSameValueAgainIsJournaledWithoutAStateChange() throws Exception {
        harness = heapHarness();
        harness.processBroadcastElement(
                createType("machinery", MACHINERY_PROPS, List.of(), List.of()), 0);

        harness.processElement(telemetry("machinery/m1", 0, 5.5, T0), 0);
        harness.processElement(telemetry("machinery/m1", 0, 5.5, T0.plusSeconds(1)), 0);

        assertThat(journal()).extracting(JournalEntry::sequence).containsExactly(1L, 2L);
        assertThat(events())
                .extracting(TwinEvent::type)
                .containsExactly(EventType.CREATION, EventType.STATE_CHANGE);
        assertThat(snapshots()).extracting(TwinSnapshot::version).containsExactly(1L, 2L);
    }

    @Test
    void badRecordsBecomeRejectsWithTheOriginalsMessages() throws Exception {
        harness = heapHarness();
        harness.processBroadcastElement(
                createType("machinery", MACHINERY_PROPS, List.of(), List.of()), 0);
        harness.processBroadcastElement(createType("building", List.of(), List.of(), List.of()), 0);

        harness.processElement(telemetry("ghost/g1", 0, 1, T0), 0);
        harness.processElement(telemetry("machinery/m1", 3, 1, T0), 0);
        harness.processElement(telemetry("machinery/m1", -1, 1, T0), 0);
        harness.processElement(
                input(TwinMessage.namedTelemetry("machinery/m1", "speed", 1.0, T0)), 0);
        harness.processElement(telemetry("building/b1/machinery/m1", 0, 1, T0), 0);

        assertThat(rejects())
                .extracting(Reject::reason)
                .containsExactly(
                        "type not defined",
                        "idx out of bounds",
                        "idx out of bounds",
                        "Can not validate - please check that type definition 'machinery' exists"
                                + " and supports property 'speed'.",
                        "building type does not have children of type machinery");
        assertThat(rejects().get(0).origin()).startsWith("dtlab.observations/0@");
        assertThat(journal()).isEmpty();
        assertThat(snapshots()).as("a rejected record creates no twin").isEmpty();
    }

    @Test
    void namedTelemetryResolvesToTheIndex() throws Exception {
        harness = heapHarness();
        harness.processBroadcastElement(
                createType("machinery", MACHINERY_PROPS, List.of(), List.of()), 0);

        harness.processElement(
                input(TwinMessage.namedTelemetry("machinery/m1", "max", 2.0, T0)), 0);

        assertThat(journal()).containsExactly(new JournalEntry("machinery/m1", 1, 2, 2.0, T0));
    }

    @Test
    void typeAndTwinOperatorsRunAndTwinCommandsAreOrderedWithTelemetry() throws Exception {
        harness = heapHarness();
        harness.processBroadcastElement(
                createType(
                        "machinery",
                        MACHINERY_PROPS,
                        List.of(),
                        List.of(op("count", "count", List.of(0), List.of(1)))),
                0);

        harness.processElement(telemetry("machinery/m1", 0, 5, T0), 0);
        harness.processElement(
                input(
                        TwinMessage.putOperator(
                                "machinery/m1", op("max", "MAX", List.of(0), List.of(2)), T0)),
                0);
        harness.processElement(telemetry("machinery/m1", 0, 9, T0.plusSeconds(1)), 0);
        harness.processElement(input(TwinMessage.deleteOperators("machinery/m1", T0)), 0);
        harness.processElement(telemetry("machinery/m1", 0, 20, T0.plusSeconds(2)), 0);

        TwinSnapshot last = snapshots().get(snapshots().size() - 1);
        assertThat(last.state()).extracting(Telemetry::value).containsExactly(20.0, 3.0, 9.0);
        assertThat(last.operators()).isEmpty();
        assertThat(snapshots().get(1).operators())
                .extracting(OperatorSpec::name)
                .containsExactly("max");
        assertThat(snapshots().get(1).operators().get(0).created()).isEqualTo(T0);
        assertThat(last.sequence()).isEqualTo(3);
        assertThat(last.version()).isEqualTo(5);
    }

    @Test
    void aNewChildTwinAlsoListsItsAncestors() throws Exception {
        harness = heapHarness();
        harness.processBroadcastElement(
                createType("building", List.of(), List.of("floor"), List.of()), 0);
        harness.processBroadcastElement(
                createType("floor", List.of("temp"), List.of("room"), List.of()), 0);
        harness.processBroadcastElement(
                createType("room", List.of("temp"), List.of(), List.of()), 0);

        harness.processElement(telemetry("building/b1/floor/f1/room/r1", 0, 21, T0), 0);
        harness.processElement(telemetry("building/b1/floor/f1/room/r1", 0, 22, T0), 0);

        assertThat(snapshots())
                .extracting(
                        TwinSnapshot::path,
                        TwinSnapshot::parentPath,
                        TwinSnapshot::dtType,
                        TwinSnapshot::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "building/b1/floor/f1/room/r1", "building/b1/floor/f1", "room", 1L),
                        org.assertj.core.groups.Tuple.tuple(
                                "building/b1/floor/f1", "building/b1", "floor", 0L),
                        org.assertj.core.groups.Tuple.tuple("building/b1", null, "building", 0L),
                        org.assertj.core.groups.Tuple.tuple(
                                "building/b1/floor/f1/room/r1",
                                "building/b1/floor/f1",
                                "room",
                                2L));
        assertThat(snapshots().get(1).state()).isEmpty();
    }

    @Test
    void eventsAreDeliveredToTheWebhooksTheyMatch() throws Exception {
        harness = heapHarness();
        harness.processBroadcastElement(
                createType("machinery", MACHINERY_PROPS, List.of(), List.of()), 0);
        harness.processBroadcastElement(
                webhook("all-changes", "*", null, EventType.STATE_CHANGE), 0);
        harness.processBroadcastElement(
                webhook("m2-only", "machinery", "/machinery/m2", EventType.STATE_CHANGE), 0);
        harness.processBroadcastElement(webhook("creations", null, null, EventType.CREATION), 0);

        harness.processElement(telemetry("machinery/m1", 0, 5, T0), 0);

        List<WebhookDelivery> deliveries =
                values(harness.getSideOutput(JobConstants.WEBHOOK_DELIVERIES));
        assertThat(deliveries)
                .extracting(WebhookDelivery::webhook, WebhookDelivery::eventId)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("creations", "machinery/m1#1#Creation"),
                        org.assertj.core.groups.Tuple.tuple(
                                "all-changes", "machinery/m1#1#StateChange"));
        WebhookDelivery change =
                deliveries.stream()
                        .filter(d -> d.webhook().equals("all-changes"))
                        .findFirst()
                        .orElseThrow();
        assertThat(change.url()).isEqualTo("http://127.0.0.1:9999/hooks/all-changes");
        assertThat(change.payload())
                .isEqualTo(
                        "{\"id\":\"machinery/m1#1#StateChange\",\"created\":\"2026-01-01T00:00:00.000Z\","
                            + "\"eventType\":\"StateChange\",\"source\":\"/machinery/m1\","
                            + "\"event\":[{\"idx\":0,\"value\":5.0,\"datetime\":\"2026-01-01T00:00:00.000Z\"}]}");
        WebhookDelivery creation =
                deliveries.stream()
                        .filter(d -> d.webhook().equals("creations"))
                        .findFirst()
                        .orElseThrow();
        assertThat(creation.payload())
                .contains("\"eventType\":\"Creation\"", "\"event\":\"Creation\"");
    }

    @Test
    void appliedSpecsAreReportedWithTheRegistryVersion() throws Exception {
        harness = heapHarness();

        harness.processBroadcastElement(
                createType("door", List.of("open"), List.of(), List.of()), 0);
        harness.processBroadcastElement(
                createType("door", List.of("open"), List.of(), List.of()), 0);
        harness.processBroadcastElement(deleteType("door"), 0);

        List<SpecChange> changes = values(harness.getSideOutput(JobConstants.SPEC_CHANGES));
        assertThat(changes)
                .extracting(SpecChange::key, SpecChange::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("type/door", 1L),
                        org.assertj.core.groups.Tuple.tuple("type/door", 2L));
        assertThat(changes.get(0).spec()).contains("\"props\":[\"open\"]", "\"created\"");
        assertThat(changes.get(1).spec()).isNull();
    }

    @Test
    void aMessageWaitsForTheControlRecordsItWasValidatedAgainst() throws Exception {
        harness = heapHarness();
        harness.setProcessingTime(0);
        harness.processBroadcastElement(
                createType("machinery", MACHINERY_PROPS, List.of(), List.of()), 0);

        // Validated by the query service after the webhook (registry version 2) was created.
        harness.processElement(
                input(TwinMessage.telemetry("machinery/m1", 0, 1, T0).validatedAt(2)), 0);
        harness.processElement(telemetry("machinery/m1", 0, 2, T0.plusSeconds(1)), 0);
        harness.processElement(telemetry("machinery/m2", 0, 3, T0), 0);
        assertThat(journal())
                .as("only the other twin goes on")
                .extracting(JournalEntry::path)
                .containsExactly("machinery/m2");

        harness.processBroadcastElement(
                webhook("all-changes", "*", null, EventType.STATE_CHANGE), 0);
        harness.setProcessingTime(TwinFunction.HOLD_RETRY_MS);

        assertThat(journal())
                .extracting(JournalEntry::path, JournalEntry::value)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("machinery/m2", 3.0),
                        org.assertj.core.groups.Tuple.tuple("machinery/m1", 1.0),
                        org.assertj.core.groups.Tuple.tuple("machinery/m1", 2.0));
        assertThat(values(harness.getSideOutput(JobConstants.WEBHOOK_DELIVERIES)))
                .as("the held message saw the webhook it was validated with")
                .extracting(WebhookDelivery::eventId)
                .containsExactly("machinery/m1#1#StateChange", "machinery/m1#2#StateChange");
    }

    @Test
    void aMessageIsNotHeldForever() throws Exception {
        harness = heapHarness();
        harness.setProcessingTime(0);

        harness.processElement(
                input(TwinMessage.telemetry("machinery/m1", 0, 1, T0).validatedAt(5)), 0);
        harness.setProcessingTime(TwinFunction.MAX_HOLD_MS / 2);
        assertThat(rejects()).isEmpty();
        harness.setProcessingTime(TwinFunction.MAX_HOLD_MS + TwinFunction.HOLD_RETRY_MS);

        assertThat(rejects()).extracting(Reject::reason).containsExactly("type not defined");
    }

    @Test
    void initialSpecsAreInEffectBeforeAnyControlRecord() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new TwinFunction(
                                List.of(
                                        createType(
                                                        "machinery",
                                                        MACHINERY_PROPS,
                                                        List.of(),
                                                        List.of())
                                                .payload()),
                                1),
                        TwinInput::path,
                        Types.STRING,
                        JobConstants.SPECS);

        harness.processElement(telemetry("machinery/m1", 0, 5.5, T0), 0);
        // A recorded control version (e.g. an archive exported from Kafka) does not hold a
        // back-test.
        harness.processElement(
                input(TwinMessage.telemetry("machinery/m1", 0, 6.5, T0).validatedAt(57)), 0);

        assertThat(rejects()).isEmpty();
        assertThat(journal()).hasSize(2);
    }

    @Test
    void recordsTheSourceCouldNotReadAreRejected() throws Exception {
        harness = heapHarness();

        harness.processBroadcastElement(
                new RawRecord(
                        "dtlab.control/0@3", "type/x", "{", 0, "record too large: 2000000 bytes"),
                0);

        assertThat(rejects())
                .extracting(Reject::reason)
                .containsExactly("record too large: 2000000 bytes");
    }

    @Test
    void aRejectedControlRecordStillCountsSoNoTelemetryWaitsForIt() throws Exception {
        harness = heapHarness();
        harness.processBroadcastElement(
                createType("machinery", MACHINERY_PROPS, List.of(), List.of()), 0);
        // The query service accepted this record (its registry is at version 2 now); the job cannot
        // read it.
        harness.processBroadcastElement(
                new RawRecord(
                        "dtlab.control/0@3", "type/big", "{", 0, "record too large: 400000 bytes"),
                0);

        harness.processElement(
                input(TwinMessage.telemetry("machinery/m1", 0, 1, T0).validatedAt(2)), 0);

        assertThat(journal())
                .as("applied at once, not held back for a version that never comes")
                .hasSize(1);
    }

    @Test
    void aDeletedTypeHidesItsTwinsAndARecreatedOneShowsTheirStateAgain() throws Exception {
        harness = heapHarness();
        harness.processBroadcastElement(
                createType("door", List.of("open"), List.of(), List.of()), 0);
        harness.processElement(telemetry("door/d1", 0, 1, T0), 0);

        harness.processBroadcastElement(deleteType("door"), 0);
        harness.processElement(telemetry("door/d1", 0, 0, T0), 0);
        harness.processBroadcastElement(
                createType("door", List.of("open"), List.of(), List.of()), 0);
        harness.processElement(telemetry("door/d1", 0, 0, T0), 0);

        assertThat(rejects()).extracting(Reject::reason).containsExactly("type not defined");
        assertThat(journal()).extracting(JournalEntry::sequence).containsExactly(1L, 2L);
        assertThat(events())
                .extracting(TwinEvent::type)
                .as("one Creation per twin")
                .containsExactly(
                        EventType.CREATION, EventType.STATE_CHANGE, EventType.STATE_CHANGE);
    }

    @Test
    void badControlRecordsAreRejectedAndChangeNothing() throws Exception {
        harness = heapHarness();
        harness.processBroadcastElement(
                createType("door", List.of("open"), List.of(), List.of()), 0);

        harness.processBroadcastElement(
                createType("door", List.of("other"), List.of(), List.of()), 0);
        harness.processBroadcastElement(
                RawRecord.of("dtlab.control/0@9", "type/x", "{not json", 0), 0);
        harness.processBroadcastElement(deleteType("window"), 0);

        assertThat(rejects())
                .extracting(Reject::reason)
                .satisfiesExactly(
                        reason -> assertThat(reason).isEqualTo("type door exists"),
                        reason -> assertThat(reason).startsWith("malformed JSON"),
                        reason -> assertThat(reason).isEqualTo("type window not found"));
        assertThat(harness.getBroadcastState(JobConstants.SPECS).get("type/door"))
                .contains("\"open\"");
    }

    @Test
    void rocksDbSnapshotAndRestoreKeepsStateOperatorsAndSpecs() throws Exception {
        harness = rocksDbHarness();
        harness.open();
        harness.processBroadcastElement(
                createType("machinery", MACHINERY_PROPS, List.of(), List.of()), 0);
        harness.processElement(
                input(
                        TwinMessage.putOperator(
                                "machinery/m1", op("count", "count", List.of(0), List.of(1)), T0)),
                0);
        harness.processElement(telemetry("machinery/m1", 0, 5, T0), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = rocksDbHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(telemetry("machinery/m1", 0, 7, T0.plusSeconds(1)), 0);

        assertThat(rejects()).as("the type came back with the broadcast state").isEmpty();
        TwinSnapshot restored = snapshots().get(0);
        assertThat(restored.sequence()).isEqualTo(2);
        assertThat(restored.operators()).extracting(OperatorSpec::name).containsExactly("count");
        assertThat(restored.state()).extracting(Telemetry::value).containsExactly(7.0, 2.0);
    }

    @Test
    void aDeadlineFiresOnTheWatermarkWithItsAlarmSurvivingACheckpointInRocksDb() throws Exception {
        OperatorSpec alarm =
                new OperatorSpec(
                        "open_too_long",
                        "alarm",
                        null,
                        List.of(0),
                        List.of(1),
                        null,
                        null,
                        "open == 1",
                        null,
                        "PT10M",
                        "major",
                        null,
                        null);
        harness = rocksDbHarness();
        harness.open();
        harness.processBroadcastElement(
                createType("door", List.of("open", "alarm"), List.of(), List.of(alarm)), 0);
        harness.processBroadcastWatermark(Long.MAX_VALUE);
        harness.processElement(telemetry("door/d1", 0, 1, T0), T0.toEpochMilli());
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = rocksDbHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processBroadcastWatermark(Long.MAX_VALUE);
        harness.processWatermark(T0.plusSeconds(599).toEpochMilli());
        assertThat(events()).as("not yet due").isEmpty();
        harness.processWatermark(T0.plusSeconds(3600).toEpochMilli());

        assertThat(events())
                .extracting(TwinEvent::type)
                .containsExactly(EventType.STATE_CHANGE, EventType.ALARM_RAISED);
        assertThat(events().get(1).created()).isEqualTo(T0.plusSeconds(600));
        assertThat(snapshots().get(0).alarms())
                .extracting(a -> a.name())
                .containsExactly("open_too_long");
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void aParentWithRollupsAppliesReportsAndItsOwnTelemetryInEventTimeOrderAtTheWatermark()
            throws Exception {
        harness = heapHarness();
        harness.processBroadcastElement(
                createType("room", List.of("temp"), List.of(), List.of()), 0);
        TwinType floor =
                new TwinType(
                        "floor",
                        List.of("max_temp", "setpoint"),
                        List.of("room"),
                        List.of(),
                        List.of(
                                new RollupSpec(
                                        "max_temp", "room", "temp", "max", null, List.of(0))),
                        null);
        harness.processBroadcastElement(
                Records.control(ControlMessage.createType("c-floor", T0, floor)), 0);
        int definition =
                Registry.empty()
                        .apply(
                                ControlMessage.createType(
                                        "c",
                                        T0,
                                        new TwinType("room", List.of("temp"), null, null, null)))
                        .registry()
                        .apply(ControlMessage.createType("c-floor", T0, floor))
                        .registry()
                        .contributors("floor", "room")
                        .get(0)
                        .definition();

        // Reports arrive out of time order (from two children), the floor's own telemetry between
        // them.
        harness.processElement(report("floor/f1/room/b", 30, T0.plusSeconds(3), definition), 0);
        harness.processElement(telemetry("floor/f1", 1, 21, T0.plusSeconds(2)), 0);
        harness.processElement(report("floor/f1/room/a", 25, T0.plusSeconds(1), definition), 0);
        assertThat(journal()).as("nothing before event time passes").isEmpty();
        assertThat(rejects()).isEmpty();
        assertThat(harness.numEventTimeTimers()).as("timers").isEqualTo(3);

        harness.processBroadcastWatermark(Long.MAX_VALUE); // control records carry no event time
        harness.processWatermark(T0.plusSeconds(2).toEpochMilli());
        assertThat(journal())
                .extracting(JournalEntry::idx, JournalEntry::value, JournalEntry::datetime)
                .containsExactly(
                        tuple(0, 25.0, T0.plusSeconds(1)), tuple(1, 21.0, T0.plusSeconds(2)));

        harness.processWatermark(T0.plusSeconds(10).toEpochMilli());
        assertThat(journal())
                .extracting(JournalEntry::idx, JournalEntry::value, JournalEntry::datetime)
                .containsExactly(
                        tuple(0, 25.0, T0.plusSeconds(1)),
                        tuple(1, 21.0, T0.plusSeconds(2)),
                        tuple(0, 30.0, T0.plusSeconds(3)));
        assertThat(harness.numEventTimeTimers()).as("no input left waiting").isZero();
    }

    @Test
    void aChildReportsToItsParentOnlyFromItsOwnLevel() throws Exception {
        harness =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                        new TwinFunction(List.of(), 2),
                        TwinInput::path,
                        Types.STRING,
                        JobConstants.SPECS);
        harness.processBroadcastElement(
                createType("room", List.of("temp"), List.of(), List.of()), 0);
        harness.processBroadcastElement(
                Records.control(
                        ControlMessage.createType(
                                "c-floor",
                                T0,
                                new TwinType(
                                        "floor",
                                        List.of("avg"),
                                        List.of("room"),
                                        List.of(),
                                        List.of(
                                                new RollupSpec(
                                                        "avg",
                                                        "room",
                                                        "temp",
                                                        "avg",
                                                        null,
                                                        List.of(0))),
                                        null))),
                0);

        harness.processElement(telemetry("floor/f1/room/r1", 0, 20, T0), 0);

        List<TwinInput> reports = values(harness.getSideOutput(JobConstants.CONTRIBUTIONS));
        assertThat(reports)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.path()).isEqualTo("floor/f1");
                            assertThat(r.contribution().child()).isEqualTo("floor/f1/room/r1");
                            assertThat(r.contribution().values())
                                    .extracting(Contribution.Value::value)
                                    .containsExactly(20.0);
                        });
    }

    private static TwinInput report(String child, double value, Instant at, int definition) {
        String parent = child.substring(0, child.lastIndexOf('/', child.lastIndexOf('/') - 1));
        return TwinInput.of(
                new Contribution(
                        parent,
                        child,
                        1,
                        at,
                        List.of(new Contribution.Value("max_temp", definition, value))));
    }

    private static RawRecord webhook(
            String name, String dtType, String prefix, EventType eventType) {
        WebhookSpec spec =
                new WebhookSpec(
                        name,
                        new WebhookTarget("127.0.0.1", 9999, "/hooks/" + name, false, null),
                        dtType,
                        prefix,
                        eventType,
                        null);
        return Records.control(ControlMessage.createWebhook("w-" + name, T0, spec));
    }

    private static KeyedBroadcastOperatorTestHarness<String, TwinInput, RawRecord, TwinEvent>
            heapHarness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new TwinFunction(), TwinInput::path, Types.STRING, JobConstants.SPECS);
    }

    /** Not yet opened, so that the state backend and restored state can still be set. */
    private static KeyedBroadcastOperatorTestHarness<String, TwinInput, RawRecord, TwinEvent>
            rocksDbHarness() throws Exception {
        var h =
                new KeyedBroadcastOperatorTestHarness<>(
                        new CoBroadcastWithKeyedOperator<>(
                                new TwinFunction(), List.of(JobConstants.SPECS)),
                        TwinInput::path,
                        Types.STRING,
                        JobConstants.MAX_PARALLELISM,
                        1,
                        0);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    private static TwinInput telemetry(String path, int idx, double value, Instant at) {
        return input(TwinMessage.telemetry(path, idx, value, at));
    }

    private static TwinInput input(TwinMessage message) {
        return new TwinInput(message.path(), "dtlab.observations/0@" + message.hashCode(), message);
    }

    private List<TwinEvent> events() {
        return harness.extractOutputValues();
    }

    private List<JournalEntry> journal() {
        return values(harness.getSideOutput(JobConstants.JOURNAL));
    }

    private List<TwinSnapshot> snapshots() {
        return values(harness.getSideOutput(JobConstants.SNAPSHOTS));
    }

    private List<Reject> rejects() {
        return values(harness.getSideOutput(JobConstants.REJECTS));
    }

    private static <T> List<T> values(java.util.Collection<StreamRecord<T>> records) {
        return records == null ? List.of() : records.stream().map(StreamRecord::getValue).toList();
    }
}
