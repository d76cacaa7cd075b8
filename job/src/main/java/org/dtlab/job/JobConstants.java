package org.dtlab.job;

import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.OutputTag;

import org.dtlab.job.runtime.TwinInput;
import org.dtlab.job.runtime.TwinOutputSerializers;
import org.dtlab.model.event.JournalEntry;
import org.dtlab.model.event.Reject;
import org.dtlab.model.event.SpecChange;
import org.dtlab.model.event.TwinSnapshot;
import org.dtlab.model.event.WebhookDelivery;

/**
 * Operator uids, names and side outputs of the twin job, in one place. A uid is the operator's
 * identity in a savepoint: never change one, or the job cannot restore its state.
 */
public final class JobConstants {

    /**
     * Key groups of the keyed state, fixed so that a savepoint restores at any parallelism up to
     * this value. Changing it makes existing savepoints unusable.
     */
    public static final int MAX_PARALLELISM = 1024;

    public static final String OBSERVATIONS_SOURCE_UID = "dtlab-kafka-observations";
    public static final String CONTROL_SOURCE_UID = "dtlab-kafka-control";
    public static final String OBSERVATION_PARSER_UID = "dtlab-observation-parser";
    public static final String OBSERVATION_WATERMARKS_UID = "dtlab-observation-watermarks";
    public static final String CONTROL_WATERMARKS_UID = "dtlab-control-watermarks";

    /** The twin operator of level 1 (of every twin, before roll-ups split the twins by level). */
    public static final String TWIN_FUNCTION_UID = "dtlab-twin-function";

    public static final String LEVEL_ROUTER_UID = "dtlab-level-router";
    public static final String SNAPSHOT_COALESCER_UID = "dtlab-snapshot-coalescer";
    public static final String JOURNAL_SINK_UID = "dtlab-journal-sink";
    public static final String EVENTS_SINK_UID = "dtlab-events-sink";
    public static final String TWIN_STATE_SINK_UID = "dtlab-twin-state-sink";
    public static final String SPECS_SINK_UID = "dtlab-specs-sink";
    public static final String REJECTS_SINK_UID = "dtlab-rejects-sink";
    public static final String WEBHOOK_SINK_UID = "dtlab-webhook-sink";

    public static final OutputTag<JournalEntry> JOURNAL =
            new OutputTag<>("journal", TwinOutputSerializers.JOURNAL_ENTRY);
    public static final OutputTag<TwinSnapshot> SNAPSHOTS =
            new OutputTag<>("snapshots", TwinOutputSerializers.SNAPSHOT);
    public static final OutputTag<Reject> REJECTS =
            new OutputTag<>("rejects", TypeInformation.of(Reject.class));
    public static final OutputTag<SpecChange> SPEC_CHANGES =
            new OutputTag<>("spec-changes", TypeInformation.of(SpecChange.class));
    public static final OutputTag<WebhookDelivery> WEBHOOK_DELIVERIES =
            new OutputTag<>("webhook-deliveries", TypeInformation.of(WebhookDelivery.class));

    /**
     * What twins report to their parents' roll-ups: the input of the twin operator one level up.
     */
    public static final OutputTag<TwinInput> CONTRIBUTIONS =
            new OutputTag<>("contributions", TypeInformation.of(TwinInput.class));

    /**
     * Broadcast state: control key ({@code type/machinery}) → the accepted spec as a control
     * message in JSON. JSON keeps the broadcast state readable and free to evolve with the model.
     */
    public static final MapStateDescriptor<String, String> SPECS =
            new MapStateDescriptor<>("dtlab-specs", Types.STRING, Types.STRING);

    /** The entry of {@link #SPECS} that holds the registry's version instead of a spec. */
    public static final String REGISTRY_VERSION_KEY = "registry/version";

    // The back-test's own operators (a back-test never restores, but its graph is named here all
    // the same).
    public static final String BACKTEST_ARCHIVE_UID = "dtlab-backtest-archive";
    public static final String BACKTEST_JOURNAL_UID = "dtlab-backtest-journal";
    public static final String BACKTEST_FILTER_UID = "dtlab-backtest-filter";
    public static final String BACKTEST_TIMESTAMPS_UID = "dtlab-backtest-timestamps";
    public static final String BACKTEST_CONTROL_UID = "dtlab-backtest-control";

    /**
     * Accumulator: observations older than a telemetry their twin already had. Applied all the
     * same, in arrival order; BATCH back-tests sort each twin by event time, so it stays 0 there.
     */
    public static final String LATE_OBSERVATIONS = "dtlab-late-observations";

    /**
     * Accumulator: messages (observations and commands, not roll-up reports) the twin operators
     * applied — in a back-test, how far processing is behind reading.
     */
    public static final String MESSAGES_APPLIED = "dtlab-messages-applied";

    /** Accumulators of a back-test: records read, and the first and last event time among them. */
    public static final String RECORDS_READ = "dtlab-records-read";

    /**
     * Accumulator of a back-test: records read that it applies (valid, inside its window and
     * prefix).
     */
    public static final String RECORDS_KEPT = "dtlab-records-kept";

    /**
     * Accumulators of a back-test: archive readers (parallel instances of the archive filter) that
     * have started, and those that have read all of their input — when both are equal, reading has
     * ended. (Not the job's parallelism: in BATCH mode Flink gives a file source as many readers as
     * it has files.)
     */
    public static final String READERS_STARTED = "dtlab-readers-started";

    public static final String READERS_FINISHED = "dtlab-readers-finished";

    /**
     * Accumulator: events the twin operators emitted — in a back-test, what its output has to
     * write.
     */
    public static final String EVENTS_EMITTED = "dtlab-events-emitted";

    /** Accumulator of a back-test: events written to its output. */
    public static final String EVENTS_WRITTEN = "dtlab-events-written";

    public static final String FIRST_EVENT_TIME = "dtlab-first-event-time";
    public static final String LAST_EVENT_TIME = "dtlab-last-event-time";

    /**
     * The twin operator of a level of the hierarchy; level 1 keeps the uid of the single operator
     * of before.
     */
    public static String twinFunctionUid(int level) {
        return level == 1 ? TWIN_FUNCTION_UID : TWIN_FUNCTION_UID + "-level-" + level;
    }

    /** The twins of a level below the first, as the level router sends them on. */
    public static OutputTag<TwinInput> level(int level) {
        return new OutputTag<>("level-" + level, TypeInformation.of(TwinInput.class));
    }

    private JobConstants() {}
}
