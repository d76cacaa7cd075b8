package org.dtlab.job.testutils;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.dtlab.job.TwinJob;
import org.dtlab.job.TwinOutputs;
import org.dtlab.job.backtest.ArchiveFilter;
import org.dtlab.job.backtest.BacktestPipeline;

import java.nio.file.Path;
import java.util.List;

/** A BATCH back-test of an archive file at parallelism 2, as {@code dtlab backtest} runs it. */
public final class BatchBacktest {

    private BatchBacktest() {}

    /**
     * @param name distinguishes this run's collecting sinks from other runs'
     */
    public static RunResult run(Path archive, List<String> specs, String name) throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(TwinJob.requiredConfiguration());
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        TwinOutputs outputs =
                BacktestPipeline.build(
                        env,
                        BacktestPipeline.files(env, archive),
                        specs,
                        new ArchiveFilter(Long.MIN_VALUE, Long.MAX_VALUE, ""),
                        0);
        outputs.events().sinkTo(CollectingSink.named(name + "-events"));
        outputs.snapshots().sinkTo(CollectingSink.named(name + "-snapshots"));
        env.execute(name);
        return RunResult.of(
                CollectingSink.received(name + "-events"),
                CollectingSink.received(name + "-snapshots"));
    }
}
