package org.dtlab.job.backtest;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.jdbc.core.datastream.source.JdbcSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.dtlab.job.JobConstants;
import org.dtlab.job.TwinJob;
import org.dtlab.job.TwinOutputs;
import org.dtlab.job.runtime.TwinInput;
import org.dtlab.model.event.RawRecord;
import org.dtlab.model.telemetry.TwinPath;

import java.util.List;

/**
 * A back-test: the live twin pipeline ({@link TwinJob#build}) over an archive of observations
 * (NDJSON files, gzipped or not, one observation per line as on the observation topic, or the live
 * observation journal) with a chosen set of specs, never touching live state. In BATCH mode each
 * twin's observations are applied in event-time order; in STREAMING mode in file order.
 */
public final class BacktestPipeline {

    private BacktestPipeline() {}

    /**
     * Archive lines from a file or a directory of files (gzipped or not). The files of a directory
     * are read in parallel, one file per reader at a time; a file is never split.
     */
    public static DataStream<String> files(
            StreamExecutionEnvironment env, java.nio.file.Path input) {
        FileSource<String> archive =
                FileSource.forRecordStreamFormat(new ArchiveLineFormat(), new Path(input.toUri()))
                        .build();
        return env.fromSource(archive, WatermarkStrategy.noWatermarks(), "archive")
                .uid(JobConstants.BACKTEST_ARCHIVE_UID);
    }

    /** Archive lines from the live observation journal, through the JDBC connector's source. */
    public static DataStream<String> journal(
            StreamExecutionEnvironment env, JdbcSource<String> journal) {
        return env.fromSource(journal, WatermarkStrategy.noWatermarks(), "journal")
                .uid(JobConstants.BACKTEST_JOURNAL_UID);
    }

    /**
     * @param lines the archive, one observation per line as on the observation topic
     * @param specs control messages in JSON, one per element, applied in order
     * @param snapshotIntervalMs a twin's states are coalesced to one per interval (and flushed at
     *     the end of input), so a long interval leaves about one final state per twin
     */
    public static TwinOutputs build(
            StreamExecutionEnvironment env,
            DataStream<String> lines,
            List<String> specs,
            ArchiveFilter filter,
            long snapshotIntervalMs) {
        SingleOutputStreamOperator<TwinInput> observations =
                lines.transform(
                                "parse, window",
                                TypeInformation.of(TwinInput.class),
                                new ArchiveFilter.Operator(filter))
                        .uid(JobConstants.BACKTEST_FILTER_UID)
                        .name("parse, window");
        DataStream<TwinInput> timed =
                observations
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<TwinInput>noWatermarks()
                                        .withTimestampAssigner(
                                                (twin, ignored) ->
                                                        twin.message().datetime().toEpochMilli()))
                        .uid(JobConstants.BACKTEST_TIMESTAMPS_UID);
        // The candidate specs are in effect before the first observation (no race between the two
        // inputs, in BATCH and STREAMING alike). The control input carries only a tombstone, which
        // changes nothing: a bounded source needs an element.
        DataStream<RawRecord> controlStream =
                env.fromData(
                                TypeInformation.of(RawRecord.class),
                                RawRecord.of("specs", null, null, 0))
                        .uid(JobConstants.BACKTEST_CONTROL_UID);
        return TwinJob.buildParsed(
                timed,
                observations.getSideOutput(JobConstants.REJECTS),
                controlStream,
                snapshotIntervalMs,
                specs,
                TwinPath.MAX_LEVELS);
    }
}
