package org.dtlab.job;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.dtlab.job.runtime.ObservationParser;
import org.dtlab.job.runtime.SnapshotCoalescer;
import org.dtlab.job.runtime.TwinFunction;
import org.dtlab.job.runtime.TwinInput;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.event.TwinEvent;
import org.dtlab.model.event.TwinSnapshot;

import java.util.Map;

/**
 * The twin pipeline: observations keyed by twin path, control records broadcast to every parallel
 * instance, one {@link TwinFunction} holding the twins' state.
 *
 * <pre>
 * observations ─▶ parse ─▶ keyBy(path) ─┐
 *                   └─▶ rejects         ├─▶ TwinFunction ─▶ events, journal, snapshots (coalesced),
 * control ─────────────────▶ broadcast ─┘                   webhook deliveries, spec changes, rejects
 * </pre>
 *
 * <p>Sources and sinks are the caller's: production wires Kafka and the journal database, tests
 * and the back-test their own.
 */
public final class TwinJob {

    private TwinJob() {}

    /**
     * Builds the pipeline over the given raw sources and returns its outputs.
     *
     * @param snapshotIntervalMs the snapshots of a twin are coalesced to at most one per interval
     *     (0: every change is emitted)
     */
    public static TwinOutputs build(
            DataStream<RawRecord> observations, DataStream<RawRecord> control, long snapshotIntervalMs) {
        SingleOutputStreamOperator<TwinInput> parsed = observations
                .process(new ObservationParser(), TypeInformation.of(TwinInput.class))
                .uid(JobConstants.OBSERVATION_PARSER_UID)
                .name("parse observations");
        BroadcastStream<RawRecord> specs = control.broadcast(JobConstants.SPECS);

        SingleOutputStreamOperator<TwinEvent> twins = parsed
                .keyBy(TwinInput::path, Types.STRING)
                .connect(specs)
                .process(new TwinFunction(), TypeInformation.of(TwinEvent.class))
                .uid(JobConstants.TWIN_FUNCTION_UID)
                .name("twins")
                .setMaxParallelism(JobConstants.MAX_PARALLELISM);

        DataStream<TwinSnapshot> snapshots = twins.getSideOutput(JobConstants.SNAPSHOTS);
        if (snapshotIntervalMs > 0) {
            snapshots = snapshots
                    .transform("coalesce snapshots", TypeInformation.of(TwinSnapshot.class),
                            new SnapshotCoalescer(snapshotIntervalMs))
                    .uid(JobConstants.SNAPSHOT_COALESCER_UID);
        }
        return new TwinOutputs(
                twins,
                twins.getSideOutput(JobConstants.JOURNAL),
                snapshots,
                twins.getSideOutput(JobConstants.WEBHOOK_DELIVERIES),
                twins.getSideOutput(JobConstants.SPEC_CHANGES),
                parsed.getSideOutput(JobConstants.REJECTS).union(twins.getSideOutput(JobConstants.REJECTS)));
    }

    /**
     * The settings the job needs wherever it runs: RocksDB with incremental checkpoints, and no
     * Kryo (every stream and state type has a Flink serializer; a generic type fails fast).
     */
    public static Configuration requiredConfiguration() {
        return Configuration.fromMap(Map.of(
                "state.backend.type", "rocksdb",
                "execution.checkpointing.incremental", "true",
                "pipeline.generic-types", "false"));
    }
}
