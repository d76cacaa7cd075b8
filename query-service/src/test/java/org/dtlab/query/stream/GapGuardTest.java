package org.dtlab.query.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GapGuardTest {

    private static final long MS = 1_000_000L;

    @Test
    void theNextNumberAlwaysFollows() {
        GapGuard guard = new GapGuard(2000);
        guard.saw(11, 0);
        assertThat(guard.mayFollow(10, 11)).isTrue();
    }

    @Test
    void aHoleHoldsLaterNumbersBackUntilAHigherNumberHasBeenVisibleForTheWait() {
        GapGuard guard = new GapGuard(2000);
        guard.saw(12, 0); // 11 missing, 12 visible
        assertThat(guard.mayFollow(10, 12)).isFalse();
        guard.saw(12, 1999 * MS);
        assertThat(guard.mayFollow(10, 12)).isFalse();
        guard.saw(12, 2000 * MS);
        assertThat(guard.mayFollow(10, 12)).isTrue();
    }

    @Test
    void oneWaitCoversEveryHoleBelowTheNumberSeenThen() {
        GapGuard guard = new GapGuard(2000);
        guard.saw(20, 0); // holes at 11, 14, 17
        guard.saw(25, 1000 * MS); // 21..24 missing, seen later
        guard.saw(25, 2000 * MS);
        assertThat(guard.mayFollow(10, 12)).isTrue();
        assertThat(guard.mayFollow(16, 18)).isTrue();
        assertThat(guard.mayFollow(20, 25)).as("seen only a second ago").isFalse();
        guard.saw(25, 3000 * MS);
        assertThat(guard.mayFollow(20, 25)).isTrue();
    }
}
