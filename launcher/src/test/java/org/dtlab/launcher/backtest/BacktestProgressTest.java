package org.dtlab.launcher.backtest;

import org.dtlab.launcher.backtest.BacktestProgress.Counters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BacktestProgressTest {

    @Test
    void eachPhaseShowsItsCountRateAndTimeLeftAndStaysShortOnceDone() {
        BacktestProgress progress = new BacktestProgress();

        assertThat(progress.line(new Counters(400_000, 399_990, false, 0, 0, 0), 4))
                .isEqualTo("reading: 400,000 records · 100,000 records/s · 4 s");
        assertThat(progress.line(new Counters(1_200_000, 1_199_880, true, 0, 0, 0), 11))
                .isEqualTo(
                        "read 1,200,000 in 11 s (109,091/s) · sorting 1,199,880 records by twin"
                                + " and time: 0 s · 11 s");
        assertThat(progress.line(new Counters(1_200_000, 1_199_880, true, 0, 0, 0), 16))
                .as("the sort: nothing else moves, its time does")
                .endsWith("sorting 1,199,880 records by twin and time: 5 s · 16 s");
        assertThat(
                        progress.line(
                                new Counters(1_200_000, 1_199_880, true, 10_000, 9_000, 6_000_000),
                                17))
                .isEqualTo(
                        "read 1,200,000 in 11 s (109,091/s) · sorted in 6 s · applying: 10,000 of"
                                + " 1,199,880 (0 %) · written 9,000 events, 6 MB · 17 s");
        assertThat(
                        progress.line(
                                new Counters(
                                        1_200_000, 1_199_880, true, 600_000, 599_000, 372_000_000),
                                27))
                .contains("applying: 600,000 of 1,199,880 (50 %) · 60,000/s · about 10 s left")
                .contains("written 599,000 events, 372 MB");
        assertThat(
                        progress.line(
                                new Counters(
                                        1_200_000,
                                        1_199_880,
                                        true,
                                        1_199_880,
                                        1_199_880,
                                        700_000_000),
                                38))
                .isEqualTo(
                        "read 1,200,000 in 11 s (109,091/s) · sorted in 6 s · applied 1,199,880 in"
                                + " 21 s · written 1,199,880 events, 700 MB · finishing the output:"
                                + " 0 s · 38 s");
        assertThat(
                        progress.line(
                                new Counters(
                                        1_200_000,
                                        1_199_880,
                                        true,
                                        1_199_880,
                                        1_199_900,
                                        746_000_000),
                                40))
                .endsWith(
                        "written 1,199,900 events, 746 MB · finishing the output: 2 s, 23 MB/s · 40"
                                + " s");
        assertThat(progress.durations(41))
                .containsExactly(
                        org.assertj.core.api.Assertions.entry("read", 11.0),
                        org.assertj.core.api.Assertions.entry("sort", 6.0),
                        org.assertj.core.api.Assertions.entry("process", 21.0),
                        org.assertj.core.api.Assertions.entry("write", 3.0));
    }

    @Test
    void whileReadingGoesOnThereIsNoSortAndNoTimeLeftToTell() {
        BacktestProgress progress = new BacktestProgress();

        progress.line(new Counters(1_000, 1_000, false, 500, 400, 0), 1);
        assertThat(progress.line(new Counters(2_000, 2_000, false, 1_500, 1_400, 1_000_000), 2))
                .isEqualTo(
                        "reading: 2,000 records · 1,000 records/s · applying: 1,500 · 1,500/s ·"
                                + " written 1,400 events, 1 MB · 2 s");
        assertThat(progress.line(new Counters(3_000, 3_000, true, 2_000, 1_900, 1_000_000), 3))
                .as("STREAMING: reading ends while the twins apply, no sort")
                .startsWith("read 3,000 in 3 s (1,000/s) · applying: 2,000 of 3,000 (66 %)")
                .doesNotContain("sort");
    }
}
