package org.dtlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the rest of the machine did while a benchmark job ran, so that a figure measured while
 * someone else's build shared the cores can be told from a clean one: the CPU time of every process
 * except this JVM (the system under test and its embedded Kafka broker) and PostgreSQL (part of the
 * system under test in the ingest benchmark; so a backend serving someone else's tests is not
 * seen), from Linux's {@code /proc}, in cores on average over the job. Elsewhere, or if {@code
 * /proc} cannot be read, the figure is {@code null}.
 */
final class MachineLoad {

    /** Clock ticks per second of {@code /proc}'s CPU times (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    private final long busyTicks;
    private final long ownTicks;
    private final long nanos;

    private MachineLoad(long busyTicks, long ownTicks, long nanos) {
        this.busyTicks = busyTicks;
        this.ownTicks = ownTicks;
        this.nanos = nanos;
    }

    /** Now; {@code null} if {@code /proc} cannot be read. */
    static MachineLoad now() {
        try {
            return new MachineLoad(busyTicks(), selfTicks() + postgresTicks(), System.nanoTime());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The cores other processes used on average between {@code start} and now (2 decimals; at most
     * the number of cores), or {@code null} when either end is unknown.
     */
    static Double otherCores(MachineLoad start) {
        MachineLoad end = now();
        if (start == null || end == null) {
            return null;
        }
        double seconds = (end.nanos - start.nanos) / 1e9;
        double others =
                ((end.busyTicks - start.busyTicks) - (end.ownTicks - start.ownTicks))
                        / TICKS
                        / seconds;
        return Stats.round2(Math.max(0, others));
    }

    /** The 1-minute load average, or {@code null}. */
    static Double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** All CPUs' busy time: user, nice, system, irq, softirq, steal (not idle, not iowait). */
    private static long busyTicks() throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
            busy += Long.parseLong(cpu[i]);
        }
        return busy;
    }

    private static long selfTicks() throws IOException {
        return ticks(Path.of("/proc/self/stat"), false);
    }

    /**
     * PostgreSQL's processes: their own times, and the postmaster's children's that ended (it reaps
     * its backends, so a connection that closed during the job still counts as PostgreSQL).
     */
    private static long postgresTicks() throws IOException {
        long sum = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc :
                    procs.filter(
                                    p ->
                                            p.getFileName()
                                                    .toString()
                                                    .chars()
                                                    .allMatch(Character::isDigit))
                            .toList()) {
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    if (stat.contains("(postgres)")) {
                        sum += ticks(proc.resolve("stat"), true);
                    }
                } catch (IOException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return sum;
    }

    /** utime + stime (and with {@code children}, cutime + cstime) of a {@code /proc/<pid>/stat}. */
    private static long ticks(Path stat, boolean children) throws IOException {
        String text = Files.readString(stat);
        String[] f =
                text.substring(text.lastIndexOf(')') + 2).split(" "); // f[0] is field 3 (state)
        long t = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14, 15
        if (children) {
            t += Long.parseLong(f[13]) + Long.parseLong(f[14]); // fields 16, 17
        }
        return t;
    }
}
