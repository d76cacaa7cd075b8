package org.dtlab.job.testutils;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.dtlab.job.TwinJob;
import org.dtlab.job.TwinOutputs;
import org.dtlab.job.backtest.ArchiveFilter;
import org.dtlab.job.backtest.BacktestPipeline;
import org.dtlab.job.backtest.BacktestPipeline.TwinOrder;

import java.nio.file.Path;
import java.util.List;

/** A BATCH back-test of an archive file at parallelism 2, as {@code dtlab backtest} runs it. */
public final class BatchBacktest {

    private BatchBacktest() {}

    /**
     * @param name distinguishes this run's collecting sinks from other runs'
     */
    public static RunResult run(Path archive, List<String> specs, String name) throws Exception {
        return run(archive, specs, name, TwinOrder.SORTED);
    }

    /**
     * @param order {@link TwinOrder#CHECKED}: without Flink's sort (and failing on an archive out
     *     of order per twin)
     */
    public static RunResult run(Path archive, List<String> specs, String name, TwinOrder order)
            throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        order == TwinOrder.CHECKED
                                ? BacktestPipeline.withoutSort(TwinJob.requiredConfiguration())
                                : TwinJob.requiredConfiguration());
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        TwinOutputs outputs =
                BacktestPipeline.build(
                        env,
                        BacktestPipeline.files(env, archive),
                        specs,
                        new ArchiveFilter(Long.MIN_VALUE, Long.MAX_VALUE, ""),
                        0,
                        order);
        outputs.events().sinkTo(CollectingSink.named(name + "-events"));
        outputs.snapshots().sinkTo(CollectingSink.named(name + "-snapshots"));
        env.execute(name);
        return RunResult.of(
                CollectingSink.received(name + "-events"),
                CollectingSink.received(name + "-snapshots"));
    }
}
