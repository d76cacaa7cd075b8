package org.dtlab.launcher.backtest;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A finished back-test on the terminal: one line of what it read, how fast and where it wrote, then
 * whether it sorted, the observations that came late and the reasons for the rejects, one line
 * each.
 */
final class SummaryPrinter {

    private final PrintStream terminal;

    SummaryPrinter(PrintStream terminal) {
        this.terminal = terminal;
    }

    /**
     * @param out the output directory
     * @param inTables whether the results went to the dtlab_backtest_* tables too
     */
    void print(BacktestSummary summary, Path out, boolean inTables) {
        Long speedUp = summary.speedUpVersusRealTime();
        terminal.printf(
                "%ndtlab backtest %s: %,d records (%,d rejected), %,d twins, %.0f s of event time"
                        + " in %.1f s: %,d records/s, %sx real time. %s written to %s%s%n",
                summary.runId(),
                summary.inputRecords(),
                summary.rejects().total(),
                summary.twins(),
                summary.eventTimeSpanSeconds(),
                summary.wallSeconds(),
                summary.recordsPerSecond(),
                speedUp == null ? "-" : Long.toString(speedUp),
                String.format(Locale.ROOT, "%,.0f MB", summary.outputBytes() / 1e6),
                out.toAbsolutePath(),
                inTables
                        ? " and the dtlab_backtest_* tables (run_id '" + summary.runId() + "')"
                        : "");
        switch (summary.twinOrder()) {
            case "checked" ->
                    terminal.printf(
                            "  no sort: every twin's records arrived in event-time order%n");
            case "sorted" ->
                    terminal.printf(
                            "  sorted by twin and event time (%s)%s%n",
                            summary.sortReason(),
                            summary.abandonedSeconds() > 0
                                    ? String.format(
                                            Locale.ROOT,
                                            "; %.1f s went to the run without the sort",
                                            summary.abandonedSeconds())
                                    : "");
            default -> {} // STREAMING: archive order, as the late observations below say
        }
        if (summary.lateObservations() > 0) {
            terminal.printf(
                    "  %,d observations were older than their twin's newest (applied in archive"
                            + " order)%n",
                    summary.lateObservations());
        }
        for (RejectSummary.Reason reason : summary.rejects().byReason()) {
            terminal.printf(
                    "  rejected %,d × %s — e.g. %s%n",
                    reason.count(), reason.reason(), reason.example());
        }
    }
}
