package org.dtlab.job.backtest;

import org.apache.flink.api.common.BatchShuffleMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
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
 * twin's observations are applied in event-time order (sorted by Flink, or checked to arrive so:
 * {@link TwinOrder}); in STREAMING mode in file order.
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
     * How a BATCH back-test brings each twin's records into event-time order.
     *
     * <p>Both give the same results for an archive whose twins' records are in strictly increasing
     * event time (the usual case: devices send in time order); {@link #CHECKED} fails on any other
     * archive with {@link org.dtlab.job.runtime.OutOfOrderInputException}, and the back-test is run
     * again {@link #SORTED}.
     */
    public enum TwinOrder {
        /**
         * Flink's BATCH sort of the keyed input by twin and event time (sorted inputs), the live
         * two-input twin operator with the specs broadcast: right for any archive.
         */
        SORTED,
        /**
         * No sort ({@link #withoutSort}): each twin's records in the order they arrive, checked to
         * be in strictly increasing event time, through a one-input twin operator with the specs
         * fixed from the start (the same twin code as the live operator). Keyed state is on the
         * heap for the whole run instead of one twin at a time.
         */
        CHECKED
    }

    /**
     * The settings of a BATCH back-test with {@link TwinOrder#CHECKED}, on top of the job's: no
     * sorted inputs (nor the state backend that needs them), keyed state on the heap, no restart,
     * so that an archive out of order fails the job at once, and Flink's default scheduler: the
     * adaptive batch scheduler balances the key groups a keyed task reads by their data volume,
     * which the sorted input never checks but heap keyed state does ({@code Key group 505 is not in
     * KeyGroupRange{startKeyGroup=512, …}} on 20,000 twins at parallelism 2). A session cluster
     * takes the scheduler from the job's configuration too ({@code dtlab backtest --cluster}: its
     * JobManager schedules the back-test by pipelined regions, as the default scheduler does).
     *
     * <p>Its exchanges are pipelined: the twins are applied while the archive is read, instead of
     * after the reading stage has written every record to the blocking shuffle's files. Nothing in
     * a twin stage without the sort needs all of its input first (the end-of-input timers fire on
     * the last watermark either way), and reading and the twins share the cores (decision 46).
     */
    public static Configuration withoutSort(Configuration conf) {
        conf.set(JobManagerOptions.SCHEDULER, JobManagerOptions.SchedulerType.Default);
        conf.set(ExecutionOptions.SORT_INPUTS, false);
        conf.set(ExecutionOptions.BATCH_SHUFFLE_MODE, BatchShuffleMode.ALL_EXCHANGES_PIPELINED);
        conf.set(ExecutionOptions.USE_BATCH_STATE_BACKEND, false);
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return conf;
    }

    /**
     * As {@link #build(StreamExecutionEnvironment, DataStream, List, ArchiveFilter, long,
     * TwinOrder)} with {@link TwinOrder#SORTED}: right in any runtime mode, for any archive.
     */
    public static TwinOutputs build(
            StreamExecutionEnvironment env,
            DataStream<String> lines,
            List<String> specs,
            ArchiveFilter filter,
            long snapshotIntervalMs) {
        return build(env, lines, specs, filter, snapshotIntervalMs, TwinOrder.SORTED);
    }

    /**
     * @param lines the archive, one observation per line as on the observation topic
     * @param specs control messages in JSON, one per element, applied in order
     * @param snapshotIntervalMs a twin's states are coalesced to one per interval (and flushed at
     *     the end of input), so a long interval leaves about one final state per twin
     * @param order {@link TwinOrder#CHECKED} needs BATCH mode configured {@link #withoutSort}
     */
    public static TwinOutputs build(
            StreamExecutionEnvironment env,
            DataStream<String> lines,
            List<String> specs,
            ArchiveFilter filter,
            long snapshotIntervalMs,
            TwinOrder order) {
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
        if (order == TwinOrder.CHECKED) {
            return TwinJob.buildParsedWithFixedSpecs(
                    timed,
                    observations.getSideOutput(JobConstants.REJECTS),
                    snapshotIntervalMs,
                    specs,
                    TwinPath.MAX_LEVELS);
        }
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
