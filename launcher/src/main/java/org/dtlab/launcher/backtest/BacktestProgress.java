package org.dtlab.launcher.backtest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The progress line of a running back-test, from the job's counters once a second, phase by phase:
 *
 * <ol>
 *   <li><b>read</b> — archive records read and their rate, until every reader has finished;
 *   <li><b>sort</b> — in BATCH mode with Flink's sort the twins start only once each twin's records
 *       are sorted by event time; Flink does not report the sort's progress, so this phase shows
 *       what it sorts and for how long (a back-test that skips the sort has no such phase);
 *   <li><b>process</b> — messages the twins applied of the records kept, the rate and the time
 *       left;
 *   <li><b>write</b> — events written of those the twins emitted, the rate, the time left and the
 *       bytes of the output (in BATCH mode the events are written once the twins are done; in
 *       STREAMING mode while they work).
 * </ol>
 *
 * <p>A finished phase stays on the line, short, with its duration. In STREAMING mode reading and
 * processing overlap, and there is no sort.
 */
final class BacktestProgress {

    /** The phases, in order. */
    enum Phase {
        READ,
        SORT,
        PROCESS,
        WRITE
    }

    /** The job's counters at one moment, and the bytes of the output directory. */
    record Counters(
            long read,
            long kept,
            boolean readingDone,
            long applied,
            long emitted,
            long written,
            long bytes) {}

    private final boolean everyEvent;
    private final boolean sorts;
    private final Map<Phase, Double> started = new LinkedHashMap<>();
    private final Map<Phase, Double> ended = new LinkedHashMap<>();
    private long writtenWhenWriting;

    /** The first look at which the write phase had written something, and what it had written. */
    private double firstWriteAt = -1;

    private long firstWritten;

    /**
     * @param everyEvent whether every event the twins emit is written (then the write phase knows
     *     how many it has to write)
     */
    BacktestProgress(boolean everyEvent) {
        this(everyEvent, true);
    }

    /**
     * @param everyEvent whether every event the twins emit is written
     * @param sorts whether the twins wait for Flink's sort once reading is done
     */
    BacktestProgress(boolean everyEvent, boolean sorts) {
        this.everyEvent = everyEvent;
        this.sorts = sorts;
    }

    /**
     * @param elapsed seconds since the run started
     */
    String line(Counters c, double elapsed) {
        track(c, elapsed);
        StringBuilder line = new StringBuilder();
        if (!ended.containsKey(Phase.READ)) {
            line.append(format("reading: %,d records", c.read()));
            if (elapsed >= 1) {
                line.append(format(" · %,d records/s", rate(c.read(), elapsed)));
            }
        } else {
            double reading = duration(Phase.READ, elapsed);
            line.append(
                    format(
                            "read %,d in %.0f s (%,d/s)",
                            c.read(), reading, rate(c.read(), reading)));
        }
        if (started.containsKey(Phase.SORT)) {
            line.append(
                    ended.containsKey(Phase.SORT)
                            ? format(" · sorted in %.0f s", duration(Phase.SORT, elapsed))
                            : format(
                                    " · sorting %,d records by twin and time: %.0f s",
                                    c.kept(), duration(Phase.SORT, elapsed)));
        }
        if (started.containsKey(Phase.PROCESS)) {
            appendProcess(line, c, elapsed);
        }
        if (started.containsKey(Phase.WRITE)) {
            appendWrite(line, c, elapsed);
        } else if (c.written() > 0 || c.bytes() > 0) {
            line.append(format(" · written %,d events, %s", c.written(), megabytes(c.bytes())));
        }
        return line.append(format(" · %.0f s", elapsed)).toString();
    }

    private void appendProcess(StringBuilder line, Counters c, double elapsed) {
        double processing = duration(Phase.PROCESS, elapsed);
        // no rate in the first second of a phase: it began somewhere since the last look
        long rate = processing < 1 ? 0 : rate(c.applied(), processing);
        if (ended.containsKey(Phase.PROCESS)) {
            line.append(format(" · applied %,d in %.0f s", c.applied(), processing));
        } else if (ended.containsKey(Phase.READ)) {
            long kept = Math.max(c.kept(), c.applied());
            line.append(
                    format(
                            " · applying: %,d of %,d (%d %%)",
                            c.applied(), kept, kept == 0 ? 100 : c.applied() * 100 / kept));
            if (rate > 0) {
                line.append(
                        format(
                                " · %,d/s · about %.0f s left",
                                rate, (kept - c.applied()) / (double) rate));
            }
        } else {
            line.append(format(" · applying: %,d", c.applied()));
            if (rate > 0) {
                line.append(format(" · %,d/s", rate));
            }
        }
    }

    private void appendWrite(StringBuilder line, Counters c, double elapsed) {
        // The writers start a while after the twins finished (their input is exchanged first):
        // the rate counts from the first look at which they had written something.
        if (firstWriteAt < 0 && c.written() > writtenWhenWriting) {
            firstWriteAt = elapsed;
            firstWritten = c.written();
        }
        double writing = firstWriteAt < 0 ? 0 : elapsed - firstWriteAt;
        long rate = writing < 1 ? 0 : rate(c.written() - firstWritten, writing);
        if (everyEvent && c.emitted() > 0) {
            long total = Math.max(c.emitted(), c.written());
            line.append(
                    format(
                            " · writing: %,d of %,d events (%d %%)",
                            c.written(), total, c.written() * 100 / total));
            if (rate > 0) {
                line.append(
                        format(
                                " · %,d/s · about %.0f s left",
                                rate, (total - c.written()) / (double) rate));
            }
        } else {
            line.append(format(" · writing: %,d events", c.written()));
        }
        line.append(format(", %s", megabytes(c.bytes())));
    }

    /** How long each phase took so far, in seconds (for the summary). */
    Map<String, Double> durations(double elapsed) {
        Map<String, Double> durations = new LinkedHashMap<>();
        for (Phase phase : started.keySet()) {
            durations.put(
                    phase.name().toLowerCase(Locale.ROOT),
                    Math.round(duration(phase, elapsed) * 10) / 10.0);
        }
        return durations;
    }

    private void track(Counters c, double elapsed) {
        started.putIfAbsent(Phase.READ, 0.0);
        if (c.readingDone() && !ended.containsKey(Phase.READ)) {
            ended.put(Phase.READ, elapsed);
            if (c.applied() == 0 && sorts) {
                started.put(Phase.SORT, elapsed); // BATCH: the twins wait for the sorted input
            }
        }
        if (c.applied() > 0 && !started.containsKey(Phase.PROCESS)) {
            started.put(Phase.PROCESS, elapsed);
            if (started.containsKey(Phase.SORT)) {
                ended.put(Phase.SORT, elapsed);
            }
        }
        if (ended.containsKey(Phase.READ)
                && started.containsKey(Phase.PROCESS)
                && !ended.containsKey(Phase.PROCESS)
                && c.applied() >= c.kept()) {
            ended.put(Phase.PROCESS, elapsed);
            started.put(Phase.WRITE, elapsed);
            writtenWhenWriting = c.written();
        }
    }

    private double duration(Phase phase, double elapsed) {
        return ended.getOrDefault(phase, elapsed) - started.get(phase);
    }

    private static long rate(long count, double seconds) {
        return Math.round(count / Math.max(seconds, 0.001));
    }

    private static String megabytes(long bytes) {
        return format("%,.0f MB", bytes / 1e6);
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
