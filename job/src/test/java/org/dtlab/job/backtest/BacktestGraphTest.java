package org.dtlab.job.backtest;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.transformations.StreamExchangeMode;

import org.dtlab.job.TwinJob;
import org.dtlab.job.TwinOutputs;
import org.dtlab.job.backtest.BacktestPipeline.TwinOrder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exchanges of a back-test without the sort: the twins are applied while the archive is read
 * (pipelined, the job's default there), and the states reach the coalescer only after the twin
 * stage, whose keyed state is then freed (a blocking exchange).
 */
class BacktestGraphTest {

    @Test
    void statesAreCoalescedAfterTheTwinStageAndEverythingElseIsPipelined() {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        BacktestPipeline.withoutSort(TwinJob.requiredConfiguration()));
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        DataStream<String> lines = env.fromData("{}");
        TwinOutputs outputs =
                BacktestPipeline.build(
                        env,
                        lines,
                        List.of(),
                        new ArchiveFilter(Long.MIN_VALUE, Long.MAX_VALUE, ""),
                        60_000,
                        TwinOrder.CHECKED);
        outputs.events().sinkTo(new DiscardingSink<>());
        outputs.snapshots().sinkTo(new DiscardingSink<>());

        StreamGraph graph = env.getStreamGraph();

        assertThat(inputModes(graph, "coalesce snapshots")).containsOnly(StreamExchangeMode.BATCH);
        assertThat(inputModes(graph, "twins, level 1")).containsOnly(StreamExchangeMode.UNDEFINED);
        assertThat(
                        graph.getStreamNodes().stream()
                                .filter(n -> !n.getOperatorName().equals("coalesce snapshots"))
                                .flatMap(n -> n.getInEdges().stream())
                                .map(StreamEdge::getExchangeMode))
                .containsOnly(StreamExchangeMode.UNDEFINED);
    }

    private static List<StreamExchangeMode> inputModes(StreamGraph graph, String operator) {
        List<StreamNode> nodes =
                graph.getStreamNodes().stream()
                        .filter(n -> n.getOperatorName().equals(operator))
                        .toList();
        assertThat(nodes).as(operator).hasSize(1);
        List<StreamExchangeMode> modes =
                nodes.get(0).getInEdges().stream().map(StreamEdge::getExchangeMode).toList();
        assertThat(modes).as(operator).isNotEmpty();
        return modes;
    }
}
