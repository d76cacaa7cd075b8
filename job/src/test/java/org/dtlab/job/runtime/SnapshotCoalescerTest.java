package org.dtlab.job.runtime;

import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

import org.dtlab.model.event.TwinSnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotCoalescerTest {

    private OneInputStreamOperatorTestHarness<TwinSnapshot, TwinSnapshot> harness;

    @BeforeEach
    void open() throws Exception {
        harness = new OneInputStreamOperatorTestHarness<>(new SnapshotCoalescer(1_000));
        harness.setProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void emitsTheNewestSnapshotPerTwinOncePerInterval() throws Exception {
        harness.processElement(snapshot("m/1", 1), 0);
        harness.processElement(snapshot("m/1", 3), 0);
        harness.processElement(snapshot("m/1", 2), 0);
        harness.processElement(snapshot("m/2", 1), 0);
        assertThat(harness.extractOutputValues()).isEmpty();

        harness.setProcessingTime(1_000);

        assertThat(harness.extractOutputValues())
                .extracting(TwinSnapshot::path, TwinSnapshot::version)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("m/1", 3L),
                        org.assertj.core.groups.Tuple.tuple("m/2", 1L));
    }

    @Test
    void flushesBeforeEveryCheckpointSoNothingIsHeldInState() throws Exception {
        harness.processElement(snapshot("m/1", 1), 0);

        harness.prepareSnapshotPreBarrier(1);

        assertThat(harness.extractOutputValues())
                .extracting(TwinSnapshot::version)
                .containsExactly(1L);
    }

    @Test
    void flushesAtTheEndOfInput() throws Exception {
        harness.processElement(snapshot("m/1", 1), 0);

        harness.endInput();

        assertThat(harness.extractOutputValues())
                .extracting(TwinSnapshot::version)
                .containsExactly(1L);
    }

    private static TwinSnapshot snapshot(String path, long version) {
        return new TwinSnapshot(
                path, null, "m", path.substring(2), version, version, List.of(), List.of(), null);
    }
}
