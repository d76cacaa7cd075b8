package org.dtlab.connectors.journal;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.model.event.AlarmDetail;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.json.DateTimes;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.telemetry.Telemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The binary {@code COPY} sinks on the real PostgreSQL server: values arrive exactly, a replay that
 * meets rows written before neither fails nor duplicates, and twin states keep their newest version
 * within a batch and across batches.
 */
class PgCopySinkITCase {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123Z");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void valuesArriveExactlyAsTheDatabaseStoresThem() throws Exception {
        TestDatabase db = TestDatabase.postgres().applySchema();
        String path = "gebäude/b1/raum/r€";
        List<JournalEntry> journal =
                List.of(
                        new JournalEntry(path, 1, 3, -0.1, DateTimes.MIN),
                        new JournalEntry(path, 2, 0, Double.MAX_VALUE, DateTimes.MAX),
                        new JournalEntry(path, 3, 2147483647, 1e-300, T0));
        TwinEvent raised =
                new TwinEvent(
                        TwinEvent.idOf(path, 3, EventType.ALARM_RAISED),
                        EventType.ALARM_RAISED,
                        path,
                        "raum",
                        3,
                        T0,
                        List.of(new Telemetry(0, 1.0, T0)),
                        new AlarmDetail("hot", "major", T0, List.of(new Telemetry(0, 1.0, T0))));

        run(
                db,
                env -> {
                    env.fromData(
                                    TypeInformation.of(JournalEntry.class),
                                    journal.toArray(JournalEntry[]::new))
                            .sinkTo(JournalSinks.journal(db.options()));
                    env.fromData(TypeInformation.of(TwinEvent.class), raised)
                            .sinkTo(JournalSinks.events(db.options()));
                });

        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            ResultSet rows =
                    s.executeQuery(
                            "SELECT path, seq, idx, val, datetime FROM dtlab_journal ORDER BY seq");
            for (JournalEntry expected : journal) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo(expected.path());
                assertThat(rows.getLong(2)).isEqualTo(expected.sequence());
                assertThat(rows.getInt(3)).isEqualTo(expected.idx());
                assertThat(rows.getDouble(4)).isEqualTo(expected.value());
                assertThat(rows.getObject(5, OffsetDateTime.class).toInstant())
                        .isEqualTo(expected.datetime());
            }
            ResultSet event =
                    s.executeQuery(
                            "SELECT event_id, event_type, dt_type, created, state, alarm, event_no"
                                    + " FROM dtlab_events");
            assertThat(event.next()).isTrue();
            assertThat(event.getString(1)).isEqualTo(raised.id());
            assertThat(event.getString(2)).isEqualTo("AlarmRaised");
            assertThat(event.getString(3)).isEqualTo("raum");
            assertThat(event.getObject(4, OffsetDateTime.class).toInstant()).isEqualTo(T0);
            assertThat(event.getString(5))
                    .isEqualTo(
                            "[{\"idx\":0,\"value\":1.0,\"datetime\":\"2026-01-01T00:00:00.123Z\"}]");
            assertThat(event.getString(6))
                    .contains("\"name\":\"hot\"")
                    .contains("\"severity\":\"major\"");
            assertThat(event.getLong(7)).as("numbered by the database").isPositive();
        }
    }

    @Test
    void aReplayOfRowsAlreadyWrittenIsNeitherAnErrorNorADuplicate() throws Exception {
        TestDatabase db = TestDatabase.postgres().applySchema();
        List<JournalEntry> first = entries(1, 300);
        run(
                db,
                env ->
                        env.fromData(
                                        TypeInformation.of(JournalEntry.class),
                                        first.toArray(JournalEntry[]::new))
                                .sinkTo(JournalSinks.journal(db.options())));

        // As after a recovery: rows from before the last checkpoint arrive again, then new ones, in
        // batches of 50 — the first batches meet duplicates, the later ones do not.
        List<JournalEntry> replay = entries(201, 500);
        run(
                db,
                env ->
                        env.fromData(
                                        TypeInformation.of(JournalEntry.class),
                                        replay.toArray(JournalEntry[]::new))
                                .sinkTo(JournalSinks.journal(db.options())));

        assertThat(db.count("SELECT COUNT(*) FROM dtlab_journal")).isEqualTo(500);
        assertThat(db.count("SELECT COUNT(DISTINCT seq) FROM dtlab_journal")).isEqualTo(500);
        assertThat(db.count("SELECT SUM(val) FROM dtlab_journal")).isEqualTo(500L * 501 / 2);
    }

    @Test
    void aTwinsStateKeepsItsNewestVersionWithinABatchAndAcrossBatches() throws Exception {
        TestDatabase db = TestDatabase.postgres().applySchema();
        List<TwinSnapshot> states = new ArrayList<>();
        for (int version = 1; version <= 120; version++) { // three batches of up to 50
            states.add(snapshot("machine/m1", version, version));
            states.add(snapshot("machine/m" + (version + 1), 1, version));
        }
        states.add(snapshot("machine/m1", 7, -1)); // late and older: must not regress the row
        run(
                db,
                env ->
                        env.fromData(
                                        TypeInformation.of(TwinSnapshot.class),
                                        states.toArray(TwinSnapshot[]::new))
                                .sinkTo(JournalSinks.twinStates(db.options())));
        run(
                db,
                env ->
                        env.fromData(
                                        TypeInformation.of(TwinSnapshot.class),
                                        snapshot("machine/m1", 119, -2))
                                .sinkTo(JournalSinks.twinStates(db.options())));

        assertThat(db.count("SELECT COUNT(*) FROM dtlab_twin_state")).isEqualTo(121);
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            ResultSet m1 =
                    s.executeQuery(
                            "SELECT version, seq, state, alarms, parent_path FROM dtlab_twin_state"
                                    + " WHERE path = 'machine/m1'");
            assertThat(m1.next()).isTrue();
            assertThat(m1.getLong(1)).isEqualTo(120);
            assertThat(m1.getLong(2)).isEqualTo(120);
            assertThat(m1.getString(3)).contains("\"value\":120.0");
            assertThat(m1.getString(4)).isNull();
            assertThat(m1.getString(5)).isNull();
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedFailsTheBatchNamingTheTable() {
        JournalOptions nowhere =
                JournalOptions.builder()
                        .setUrl("jdbc:postgresql://127.0.0.1:1/twin")
                        .setUser("twin")
                        .setPassword("twin")
                        .setBatchSize(10)
                        .setBatchIntervalMs(0)
                        .setMaxRetries(0)
                        .build();
        assertThatThrownBy(
                        () ->
                                run(
                                        null,
                                        env ->
                                                env.fromData(
                                                                TypeInformation.of(
                                                                        JournalEntry.class),
                                                                entries(1, 3)
                                                                        .toArray(
                                                                                JournalEntry[]
                                                                                        ::new))
                                                        .sinkTo(JournalSinks.journal(nowhere))))
                .hasStackTraceContaining("cannot write 3 rows to dtlab_journal after 1 attempts");
    }

    private interface Pipeline {
        void build(StreamExecutionEnvironment env);
    }

    private static void run(TestDatabase db, Pipeline pipeline) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        pipeline.build(env);
        env.execute("copy sinks");
    }

    private static List<JournalEntry> entries(int from, int to) {
        List<JournalEntry> entries = new ArrayList<>();
        for (int seq = from; seq <= to; seq++) {
            entries.add(new JournalEntry("machine/m1", seq, 0, seq, T0.plusSeconds(seq)));
        }
        return entries;
    }

    private static TwinSnapshot snapshot(String path, long version, double value) {
        return new TwinSnapshot(
                path,
                null,
                "machine",
                path.substring(path.indexOf('/') + 1),
                version,
                version,
                List.of(new Telemetry(0, value, T0)),
                List.of(),
                T0);
    }
}
