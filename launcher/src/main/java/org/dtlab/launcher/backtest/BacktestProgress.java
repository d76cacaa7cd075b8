package org.dtlab.launcher.backtest;

import java.util.Locale;

/**
 * The progress line of a running back-test, from its counters once a second: records read, the
 * twins' progress through them (in BATCH mode they start once everything is read and sorted), the
 * bytes written, the rate and — once reading has ended — the time left.
 */
final class BacktestProgress {

    private long lastRead = -1;
    private double applyingSince = -1;
    private long appliedAtStart;

    /**
     * @param read archive records read so far
     * @param kept of those, the ones the twins apply (valid, inside the window and prefix)
     * @param applied messages the twins have applied
     * @param bytes bytes written to the output directory
     * @param elapsed seconds since the run started
     */
    String line(long read, long kept, long applied, long bytes, double elapsed) {
        boolean reading = read != lastRead;
        lastRead = read;
        if (applied == 0) {
            return String.format(
                    Locale.ROOT,
                    "reading: %,d records · %,d records/s · %.0f s",
                    read,
                    Math.round(read / Math.max(elapsed, 0.001)),
                    elapsed);
        }
        if (applyingSince < 0) {
            applyingSince = elapsed;
            appliedAtStart = applied;
        }
        double applying = elapsed - applyingSince;
        long rate =
                applying >= 1
                        ? Math.round((applied - appliedAtStart) / applying)
                        : Math.round(applied / Math.max(elapsed, 0.001));
        String line =
                String.format(
                        Locale.ROOT,
                        "read %,d · applied %,d of %,d (%d %%) · %s written · %,d records/s · %.0f"
                                + " s",
                        read,
                        applied,
                        kept,
                        kept == 0 ? 100 : Math.min(100, applied * 100 / kept),
                        megabytes(bytes),
                        rate,
                        elapsed);
        if (applied >= kept && !reading) {
            return line + " · writing the last results";
        }
        if (!reading && rate > 0) {
            return line
                    + String.format(
                            Locale.ROOT, " · about %.0f s left", (kept - applied) / (double) rate);
        }
        return line;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%,.0f MB", bytes / 1e6);
    }
}
