package org.dtlab.launcher.backtest;

import org.dtlab.launcher.backtest.BacktestProgress.Counters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class BacktestProgressTest {

    @Test
    void batchShowsReadSortProcessAndWriteWithCountsRatesAndTimeLeft() {
        BacktestProgress progress = new BacktestProgress(true);

        assertThat(progress.line(counters(400_000, false, 0, 0, 0, 0), 4))
                .isEqualTo("reading: 400,000 records · 100,000 records/s · 4 s");
        assertThat(progress.line(counters(1_200_000, true, 0, 0, 0, 0), 11))
                .isEqualTo(
                        "read 1,200,000 in 11 s (109,091/s) · sorting 1,199,880 records by twin"
                                + " and time: 0 s · 11 s");
        assertThat(progress.line(counters(1_200_000, true, 0, 0, 0, 0), 16))
                .as("the sort: no counter moves, its time does")
                .endsWith("sorting 1,199,880 records by twin and time: 5 s · 16 s");
        assertThat(progress.line(counters(1_200_000, true, 10_000, 10_020, 0, 0), 17))
                .as("no rate in a phase's first second")
                .isEqualTo(
                        "read 1,200,000 in 11 s (109,091/s) · sorted in 6 s · applying: 10,000 of"
                                + " 1,199,880 (0 %) · 17 s");
        assertThat(progress.line(counters(1_200_000, true, 600_000, 610_000, 0, 0), 27))
                .contains("applying: 600,000 of 1,199,880 (50 %) · 60,000/s · about 10 s left");
        assertThat(progress.line(counters(1_200_000, true, 1_199_880, 1_219_880, 0, 1_000_000), 38))
                .isEqualTo(
                        "read 1,200,000 in 11 s (109,091/s) · sorted in 6 s · applied 1,199,880 in"
                                + " 21 s · writing: 0 of 1,219,880 events (0 %), 1 MB · 38 s");
        assertThat(
                        progress.line(
                                counters(
                                        1_200_000, true, 1_199_880, 1_219_880, 100_000, 61_000_000),
                                43))
                .as("the writers' first look: no rate yet")
                .endsWith("writing: 100,000 of 1,219,880 events (8 %), 61 MB · 43 s");
        assertThat(
                        progress.line(
                                counters(
                                        1_200_000,
                                        true,
                                        1_199_880,
                                        1_219_880,
                                        609_940,
                                        373_000_000),
                                48))
                .endsWith(
                        "writing: 609,940 of 1,219,880 events (50 %) · 101,988/s · about 6 s left,"
                                + " 373 MB · 48 s");
        assertThat(progress.durations(50))
                .containsExactly(
                        entry("read", 11.0),
                        entry("sort", 6.0),
                        entry("process", 21.0),
                        entry("write", 12.0));
    }

    @Test
    void streamingReadsAndAppliesAtOnceWithoutASort() {
        BacktestProgress progress = new BacktestProgress(true);

        progress.line(new Counters(1_000, 1_000, false, 500, 500, 400, 0), 1);
        assertThat(
                        progress.line(
                                new Counters(2_000, 2_000, false, 1_500, 1_500, 1_400, 1_000_000),
                                2))
                .isEqualTo(
                        "reading: 2,000 records · 1,000 records/s · applying: 1,500 · 1,500/s ·"
                                + " written 1,400 events, 1 MB · 2 s");
        assertThat(
                        progress.line(
                                new Counters(3_000, 3_000, true, 2_000, 2_000, 1_900, 1_000_000),
                                3))
                .startsWith("read 3,000 in 3 s (1,000/s) · applying: 2,000 of 3,000 (66 %)")
                .doesNotContain("sort");
    }

    @Test
    void withoutEveryEventTheWritePhaseCountsWhatItWrites() {
        BacktestProgress progress = new BacktestProgress(false);

        progress.line(counters(1_000, true, 0, 0, 0, 0), 1);
        progress.line(counters(1_000, true, 500, 520, 0, 0), 2);
        assertThat(progress.line(counters(1_000, true, 1_199_880, 1_219_880, 40, 2_000_000), 3))
                .endsWith("applied 1,199,880 in 1 s · writing: 40 events, 2 MB · 3 s");
    }

    private static Counters counters(
            long read, boolean readingDone, long applied, long emitted, long written, long bytes) {
        return new Counters(read, 1_199_880, readingDone, applied, emitted, written, bytes);
    }
}
