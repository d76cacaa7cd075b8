package org.dtlab.launcher.backtest;

import org.apache.flink.api.common.BatchShuffleMode;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.NettyShuffleEnvironmentOptions;
import org.apache.flink.configuration.TaskManagerOptions;

import org.dtlab.job.TwinJob;
import org.dtlab.job.backtest.BacktestPipeline;
import org.dtlab.job.backtest.BacktestPipeline.TwinOrder;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The Flink configuration of a back-test's local cluster: what every twin job requires, the runtime
 * mode of {@code --mode}, and what a back-test needs of the cluster around it.
 */
final class BacktestConfiguration {

    /** STREAMING commits the result files on checkpoints (and at the end of input). */
    static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(5);

    static final MemorySize MANAGED_MEMORY = MemorySize.ofMebiBytes(256);

    /**
     * The counters behind the progress line reach the client with the TaskManager's heartbeats:
     * once a second instead of Flink's default of every 10 s.
     */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

    private BacktestConfiguration() {}

    /**
     * @param mode BATCH or STREAMING
     * @param checkpoints where a STREAMING run keeps its checkpoints (unused in BATCH)
     */
    static Configuration of(RuntimeExecutionMode mode, Path checkpoints) {
        return of(mode, checkpoints, TwinOrder.SORTED);
    }

    /**
     * @param order in BATCH mode, {@link TwinOrder#CHECKED} skips Flink's sort ({@link
     *     BacktestPipeline#withoutSort})
     */
    static Configuration of(RuntimeExecutionMode mode, Path checkpoints, TwinOrder order) {
        Configuration conf = TwinJob.requiredConfiguration();
        if (mode == RuntimeExecutionMode.BATCH && order == TwinOrder.CHECKED) {
            BacktestPipeline.withoutSort(conf);
        }
        conf.set(ExecutionOptions.RUNTIME_MODE, mode);
        if (mode == RuntimeExecutionMode.STREAMING) {
            conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, CHECKPOINT_INTERVAL);
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        }
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MANAGED_MEMORY);
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, HEARTBEAT_INTERVAL);
        // The cluster is the back-test's own, in this process: a BATCH shuffle writes each record
        // once and reads it once on this machine, where Flink's default LZ4 compression only costs
        // CPU (6 M records: 1.2-1.3x faster without, docs/benchmarks.md).
        conf.set(
                NettyShuffleEnvironmentOptions.SHUFFLE_COMPRESSION_CODEC,
                NettyShuffleEnvironmentOptions.CompressionCodec.NONE);
        return conf;
    }

    /**
     * The configuration for a session cluster ({@code --cluster}): its stages one after the other
     * (Flink's blocking exchanges). Reading and applying at once (decision 46) needs a slot for
     * every task of the job at the same time; on a cluster shared with the live job, each stage
     * runs in whatever slots are free instead of waiting for all of them.
     */
    static Configuration onSessionCluster(Configuration conf) {
        conf.set(ExecutionOptions.BATCH_SHUFFLE_MODE, BatchShuffleMode.ALL_EXCHANGES_BLOCKING);
        return conf;
    }
}
