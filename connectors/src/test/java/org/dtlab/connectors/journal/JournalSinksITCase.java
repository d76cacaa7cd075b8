package org.dtlab.connectors.journal;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.dtlab.connectors.testutils.TestDatabase;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.Reject;
import org.dtlab.model.event.SpecChange;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.journal.JournalLimits;
import org.dtlab.model.spec.EventType;
import org.dtlab.model.telemetry.Telemetry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The journal sinks against a real database, in a real Flink job. Subclasses pick the database; the
 * scenarios and the SQL are the same for all of them.
 */
abstract class JournalSinksITCase {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.000Z");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    abstract TestDatabase database() throws Exception;

    @Test
    void theSchemaCanBeAppliedAtEveryStart() throws Exception {
        TestDatabase db = database();
        db.applySchema();
        db.applySchema();

        assertThat(db.count("SELECT COUNT(*) FROM dtlab_journal")).isZero();
    }

    /**
     * The widths the database reports are the ones {@link JournalLimits} declares, column by
     * column: the sinks' casts and truncations read the same constants.
     */
    @Test
    void theTextColumnsAreAsWideAsJournalLimitsDeclares() throws Exception {
        TestDatabase db = database();
        db.applySchema();
        Map<String, Integer> expected = new TreeMap<>();
        expected.put("dtlab_journal.path", JournalLimits.PATH);
        expected.put("dtlab_events.path", JournalLimits.PATH);
        expected.put("dtlab_twin_state.path", JournalLimits.PATH);
        expected.put("dtlab_twin_state.parent_path", JournalLimits.PATH);
        expected.put("dtlab_rejects.record_key", JournalLimits.PATH);
        expected.put("dtlab_backtest_events.path", JournalLimits.PATH);
        expected.put("dtlab_backtest_states.path", JournalLimits.PATH);
        expected.put("dtlab_events.event_id", JournalLimits.EVENT_ID);
        expected.put("dtlab_dead_letters.event_id", JournalLimits.EVENT_ID);
        expected.put("dtlab_backtest_events.event_id", JournalLimits.EVENT_ID);
        expected.put("dtlab_events.event_type", JournalLimits.EVENT_TYPE);
        expected.put("dtlab_backtest_events.event_type", JournalLimits.EVENT_TYPE);
        expected.put("dtlab_events.dt_type", JournalLimits.NAME);
        expected.put("dtlab_twin_state.dt_type", JournalLimits.NAME);
        expected.put("dtlab_twin_state.instance_id", JournalLimits.NAME);
        expected.put("dtlab_specs.name", JournalLimits.NAME);
        expected.put("dtlab_dead_letters.webhook", JournalLimits.NAME);
        expected.put("dtlab_backtest_events.dt_type", JournalLimits.NAME);
        expected.put("dtlab_backtest_states.dt_type", JournalLimits.NAME);
        expected.put("dtlab_specs.spec_key", JournalLimits.SPEC_KEY);
        expected.put("dtlab_specs.kind", JournalLimits.SPEC_KIND);
        expected.put("dtlab_rejects.origin", JournalLimits.ORIGIN);
        expected.put("dtlab_rejects.reason", JournalLimits.REASON);
        expected.put("dtlab_dead_letters.reason", JournalLimits.REASON);
        expected.put("dtlab_dead_letters.url", JournalLimits.URL);
        expected.put("dtlab_backtest_runs.run_id", JournalLimits.RUN_ID);
        expected.put("dtlab_backtest_events.run_id", JournalLimits.RUN_ID);
        expected.put("dtlab_backtest_states.run_id", JournalLimits.RUN_ID);

        Map<String, Integer> actual = new TreeMap<>();
        try (Connection c = db.connect();
                ResultSet columns = c.getMetaData().getColumns(null, c.getSchema(), null, null)) {
            while (columns.next()) {
                String table = columns.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                int size = columns.getInt("COLUMN_SIZE");
                // Unbounded text (the JSON columns) reports the database's maximum length
                if (table.startsWith("dtlab_")
                        && columns.getInt("DATA_TYPE") == Types.VARCHAR
                        && size < 1_000_000) {
                    actual.put(
                            table + "." + columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                            size);
                }
            }
        }

        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void replayedRowsAreWrittenOnceAndStatesNeverRegress() throws Exception {
        TestDatabase db = database();
        db.applySchema();
        List<JournalEntry> journal = new ArrayList<>();
        for (int seq = 1; seq <= 300; seq++) {
            journal.add(
                    new JournalEntry(
                            "machine/m" + (seq % 3), seq, 0, seq * 1.5, T0.plusSeconds(seq)));
        }
        List<JournalEntry> replayed = new ArrayList<>(journal);
        replayed.addAll(journal.subList(100, 200));
        TwinSnapshot v2 = snapshot("building/b1/floor/f1", 2, 21.5);
        TwinSnapshot v1 = snapshot("building/b1/floor/f1", 1, 19.0);
        TwinSnapshot placeholder =
                new TwinSnapshot(
                        "building/b1", null, "building", "b1", 0, 0, List.of(), List.of(), null);
        TwinEvent change =
                new TwinEvent(
                        TwinEvent.idOf("building/b1/floor/f1", 2, EventType.STATE_CHANGE),
                        EventType.STATE_CHANGE,
                        "building/b1/floor/f1",
                        "floor",
                        2,
                        T0,
                        List.of(new Telemetry(0, 21.5, T0)));
        Reject reject =
                new Reject(
                        "dtlab.observations/0@17",
                        "ghost/g1",
                        "type not defined",
                        "{\"path\":\"ghost/g1\"}",
                        T0);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(TypeInformation.of(JournalEntry.class), replayed.toArray(JournalEntry[]::new))
                .sinkTo(JournalSinks.journal(db.options()));
        env.fromData(TypeInformation.of(TwinSnapshot.class), v2, placeholder, v1, v2)
                .sinkTo(JournalSinks.twinStates(db.options()));
        env.fromData(TypeInformation.of(TwinEvent.class), change, change)
                .sinkTo(JournalSinks.events(db.options()));
        env.fromData(TypeInformation.of(Reject.class), reject, reject)
                .sinkTo(JournalSinks.rejects(db.options()));
        env.fromData(
                        TypeInformation.of(SpecChange.class),
                        new SpecChange(
                                "type/floor", "type", "floor", "{\"name\":\"floor\"}", 3, T0),
                        new SpecChange("type/floor", "type", "floor", null, 4, T0),
                        new SpecChange(
                                "type/floor", "type", "floor", "{\"name\":\"floor\"}", 3, T0))
                .sinkTo(JournalSinks.specs(db.options()));
        env.execute("journal sinks");

        assertThat(db.count("SELECT COUNT(*) FROM dtlab_journal")).isEqualTo(300);
        assertThat(db.count("SELECT MAX(seq) FROM dtlab_journal WHERE path = 'machine/m1'"))
                .isEqualTo(298);
        assertThat(db.count("SELECT COUNT(*) FROM dtlab_events")).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM dtlab_rejects")).isEqualTo(1);
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            ResultSet state =
                    s.executeQuery(
                            "SELECT version, state, parent_path, updated FROM dtlab_twin_state"
                                    + " WHERE path = 'building/b1/floor/f1'");
            assertThat(state.next()).isTrue();
            assertThat(state.getLong(1))
                    .as("a late, older version does not regress the row")
                    .isEqualTo(2);
            assertThat(state.getString(2))
                    .isEqualTo(
                            "[{\"idx\":0,\"value\":21.5,\"datetime\":\"2026-01-01T00:00:00.000Z\"}]");
            assertThat(state.getString(3)).isEqualTo("building/b1");
            assertThat(state.getObject(4, java.time.OffsetDateTime.class).toInstant())
                    .isEqualTo(T0);
            ResultSet children =
                    s.executeQuery(
                            "SELECT path FROM dtlab_twin_state WHERE parent_path IS NULL AND"
                                    + " dt_type = 'building'");
            assertThat(children.next()).isTrue();
            assertThat(children.getString(1)).isEqualTo("building/b1");
            ResultSet spec =
                    s.executeQuery(
                            "SELECT spec, version FROM dtlab_specs WHERE spec_key = 'type/floor'");
            assertThat(spec.next()).isTrue();
            assertThat(spec.getString(1))
                    .as("the delete is newer than the replayed create")
                    .isNull();
            assertThat(spec.getLong(2)).isEqualTo(4);
        }
    }

    /**
     * A reject row holds what a client sent, whatever it is: text with U+0000 (which PostgreSQL's
     * text types refuse) and a key far wider than its column are stored, not a batch that fails for
     * ever.
     */
    @Test
    void rejectsOfAnyTextAreStored() throws Exception {
        TestDatabase db = database();
        db.applySchema();
        Reject nul =
                new Reject(
                        "dtlab.observations/0@1",
                        "ghost/\u0000g1",
                        "invalid name 'g\u00001'",
                        "\u0000\u0001 not json",
                        T0);
        Reject hugeKey =
                new Reject(
                        "dtlab.observations/0@2", "k".repeat(100_000), "malformed JSON", "{", T0);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(TypeInformation.of(Reject.class), nul, hugeKey)
                .sinkTo(JournalSinks.rejects(db.options()));
        env.execute("rejects");

        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rows =
                        s.executeQuery(
                                "SELECT record_key, reason, payload FROM dtlab_rejects"
                                        + " ORDER BY origin")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("ghost/\uFFFDg1");
            assertThat(rows.getString(2)).isEqualTo("invalid name 'g\uFFFD1'");
            assertThat(rows.getString(3)).isEqualTo("\uFFFD\u0001 not json");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("k".repeat(JournalLimits.PATH));
            assertThat(rows.next()).isFalse();
        }
    }

    /**
     * A writer whose batch cannot be written fails its task, and its {@code close()} fails the same
     * way: it must still close its connection. The JDBC connector's writer did not, so every failed
     * close kept a connection (with an embedded H2, the database it had joined; issue 18).
     */
    @Test
    void aWriterWhoseCloseFailsLeavesNoConnectionOpen() throws Exception {
        TestDatabase db = database();
        db.applySchema();
        String tag = "leak" + System.nanoTime();
        JournalOptions options =
                JournalOptions.builder()
                        .setUrl(tagged(db.url(), tag))
                        .setUser(db.user())
                        .setPassword(db.password())
                        .setBatchSize(50)
                        .setBatchIntervalMs(50)
                        .setMaxRetries(0)
                        .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        // spec_key is the primary key: NULL fails the batch, at every flush and at close
        env.fromData(
                        TypeInformation.of(SpecChange.class),
                        new SpecChange(null, "type", "floor", "{}", 1, T0))
                .sinkTo(JournalSinks.specs(options));

        assertThatThrownBy(() -> env.execute("failing sink"))
                .isInstanceOf(JobExecutionException.class);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(openConnections(db, tag)).isZero());
    }

    /** The URL with {@code tag} on its connections where the database can tell them apart. */
    private static String tagged(String url, String tag) {
        return url.startsWith("jdbc:postgresql:") ? url + "&ApplicationName=" + tag : url;
    }

    /** Connections to {@code db} opened with {@link #tagged}, not counting the one asking. */
    private static long openConnections(TestDatabase db, String tag) throws Exception {
        if (db.url().startsWith("jdbc:postgresql:")) {
            return db.count(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '" + tag + "'");
        }
        // an in-memory H2 database of this test alone
        return db.count("SELECT COUNT(*) - 1 FROM INFORMATION_SCHEMA.SESSIONS");
    }

    private static TwinSnapshot snapshot(String path, long version, double value) {
        return new TwinSnapshot(
                path,
                "building/b1",
                "floor",
                "f1",
                version,
                version,
                List.of(new Telemetry(0, value, T0)),
                List.of(),
                T0);
    }
}
