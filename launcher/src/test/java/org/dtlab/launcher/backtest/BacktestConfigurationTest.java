package org.dtlab.launcher.backtest;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.MemorySize;

import org.dtlab.job.backtest.BacktestPipeline.TwinOrder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The typed options set the same keys and values as the string keys they replaced. */
class BacktestConfigurationTest {

    private static final Path CHECKPOINTS = Path.of("/tmp/out/.checkpoints");

    @Test
    void batchRunsWithoutCheckpoints() {
        Map<String, String> conf = keys(RuntimeExecutionMode.BATCH);

        assertThat(conf)
                .containsEntry("execution.runtime-mode", "BATCH")
                .containsEntry("heartbeat.interval", "1 s")
                .containsEntry("state.backend.type", "rocksdb")
                .doesNotContainKeys(
                        "execution.checkpointing.interval", "execution.checkpointing.dir");
        // "256m" before; MemorySize writes the same size as "256 mb"
        assertThat(MemorySize.parse(conf.get("taskmanager.memory.managed.size")))
                .isEqualTo(MemorySize.parse("256m"));
    }

    @Test
    void theShuffleOnThisMachineIsNotCompressed() {
        for (RuntimeExecutionMode mode : RuntimeExecutionMode.values()) {
            assertThat(keys(mode)).containsEntry("taskmanager.network.compression.codec", "NONE");
        }
    }

    @Test
    void withoutTheSortTheStagesRunTogether() {
        Map<String, String> checked =
                BacktestConfiguration.of(RuntimeExecutionMode.BATCH, CHECKPOINTS, TwinOrder.CHECKED)
                        .toMap();

        assertThat(checked)
                .containsEntry("execution.sorted-inputs.enabled", "false")
                .containsEntry("execution.batch-shuffle-mode", "ALL_EXCHANGES_PIPELINED");
        // the sorted back-test's twin stage needs all of its input first: its shuffle stays
        // blocking
        assertThat(keys(RuntimeExecutionMode.BATCH))
                .doesNotContainKey("execution.batch-shuffle-mode");
    }

    @Test
    void onASessionClusterTheStagesRunOneAfterTheOther() {
        Map<String, String> conf =
                BacktestConfiguration.onSessionCluster(
                                BacktestConfiguration.of(
                                        RuntimeExecutionMode.BATCH, CHECKPOINTS, TwinOrder.CHECKED))
                        .toMap();

        assertThat(conf)
                .containsEntry("execution.sorted-inputs.enabled", "false")
                .containsEntry("execution.batch-shuffle-mode", "ALL_EXCHANGES_BLOCKING");
    }

    @Test
    void streamingCommitsFilesOnCheckpoints() {
        Map<String, String> conf = keys(RuntimeExecutionMode.STREAMING);

        assertThat(conf)
                .containsEntry("execution.runtime-mode", "STREAMING")
                .containsEntry("execution.checkpointing.interval", "5 s")
                .containsEntry("execution.checkpointing.dir", CHECKPOINTS.toUri().toString());
    }

    private static Map<String, String> keys(RuntimeExecutionMode mode) {
        return BacktestConfiguration.of(mode, CHECKPOINTS).toMap();
    }
}
