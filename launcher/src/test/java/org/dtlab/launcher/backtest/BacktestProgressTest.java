package org.dtlab.launcher.backtest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BacktestProgressTest {

    @Test
    void eachPhaseSaysWhatItDoesAndTheTimeLeftOnceReadingHasEnded() {
        BacktestProgress progress = new BacktestProgress();

        assertThat(progress.line(400_000, 399_990, 0, 0, 4))
                .isEqualTo("reading: 400,000 records · 100,000 records/s · 4 s");
        assertThat(progress.line(1_200_000, 1_199_880, 0, 0, 11))
                .as("sorting: nothing applied yet")
                .startsWith("reading: 1,200,000 records");
        assertThat(progress.line(1_200_000, 1_199_880, 100_000, 62_000_000, 12))
                .isEqualTo(
                        "read 1,200,000 · applied 100,000 of 1,199,880 (8 %) · 62 MB written"
                                + " · 8,333 records/s · 12 s · about 132 s left");
        assertThat(progress.line(1_200_000, 1_199_880, 600_000, 372_000_000, 22))
                .isEqualTo(
                        "read 1,200,000 · applied 600,000 of 1,199,880 (50 %) · 372 MB written"
                                + " · 50,000 records/s · 22 s · about 12 s left");
        assertThat(progress.line(1_200_000, 1_199_880, 1_199_880, 744_000_000, 34))
                .endsWith(
                        "(100 %) · 744 MB written · 49,995 records/s · 34 s · writing the last"
                                + " results");
    }

    @Test
    void whileReadingGoesOnThereIsNoTimeLeftToTell() {
        BacktestProgress progress = new BacktestProgress();

        progress.line(1_000, 1_000, 500, 0, 1);
        assertThat(progress.line(2_000, 2_000, 1_500, 0, 2))
                .doesNotContain("left")
                .doesNotContain("writing");
    }
}
