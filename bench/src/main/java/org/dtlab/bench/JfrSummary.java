package org.dtlab.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a JFR recording's CPU samples and allocations went, by component: each sample is attributed
 * to the component of the top-most frame that belongs to one (so a {@code HashMap.get} called by
 * CEL counts as CEL), plus the inclusive share of a few entry points (samples with the method
 * anywhere on the stack) and the hottest methods.
 *
 * <p>Usage: {@code JfrSummary <recording.jfr> [top-n [from to]]}: with {@code from} and {@code to}
 * (ISO-8601 instants, as {@code IngestBenchmark} prints for each job), only the events in between.
 * Record with {@code -XX:StartFlightRecording=settings=profile,filename=...} (Java threads sampled
 * every 10 ms).
 */
public final class JfrSummary {

    /** Components, matched by class-name prefix, in this order for each frame. */
    private static final Map<String, List<String>> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("CEL runtime (dev.cel)", List.of("dev.cel."));
        COMPONENTS.put("expression glue (org.dtlab.model.expr)", List.of("org.dtlab.model.expr."));
        COMPONENTS.put("twin logic (org.dtlab.model.logic)", List.of("org.dtlab.model.logic."));
        COMPONENTS.put(
                "datetime formatting/parsing (java.time.format)", List.of("java.time.format."));
        COMPONENTS.put("Jackson", List.of("com.fasterxml.jackson."));
        COMPONENTS.put("PostgreSQL driver", List.of("org.postgresql."));
        COMPONENTS.put(
                "RocksDB (JNI side)",
                List.of("org.rocksdb.", "org.apache.flink.contrib.streaming.state."));
        COMPONENTS.put(
                "Flink sort (BATCH)",
                List.of(
                        "org.apache.flink.runtime.operators.sort.",
                        "org.apache.flink.streaming.api.operators.sort."));
        COMPONENTS.put(
                "Flink serializers",
                List.of(
                        "org.apache.flink.api.common.typeutils.",
                        "org.apache.flink.api.java.typeutils.",
                        "org.apache.flink.core.memory."));
        COMPONENTS.put("Kafka client/broker", List.of("org.apache.kafka.", "kafka."));
        COMPONENTS.put("Flink runtime, other", List.of("org.apache.flink."));
        COMPONENTS.put("dtlab, other", List.of("org.dtlab."));
    }

    /** Entry points whose inclusive share is reported. */
    private static final List<String> ENTRY_POINTS =
            List.of(
                    "org.dtlab.model.logic.TwinMachine.onMessage",
                    "org.dtlab.model.logic.TwinMachine.onTime",
                    "org.dtlab.model.expr.CelExpression.evaluate",
                    "org.dtlab.model.expr.CelExpression.test",
                    "org.dtlab.model.logic.ExprOperator.onTelemetry",
                    "org.dtlab.model.logic.AlarmOperator.onTelemetry",
                    "org.dtlab.model.logic.TwinMachine$Run.finish");

    private JfrSummary() {}

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        Instant from = args.length > 3 ? Instant.parse(args[2]) : Instant.MIN;
        Instant to = args.length > 3 ? Instant.parse(args[3]) : Instant.MAX;
        long samples = 0;
        Map<String, Long> byComponent = new LinkedHashMap<>();
        Map<String, Long> inclusive = new LinkedHashMap<>();
        Map<String, Long> selfMethods = new HashMap<>();
        Map<String, Long> celSelfMethods = new HashMap<>();
        Map<String, Double> allocByComponent = new LinkedHashMap<>();
        double allocTotal = 0;
        long anyExpr = 0;
        double gcPauseSeconds = 0;
        long collections = 0;
        double jvmCpu = 0;
        double machineCpu = 0;
        long cpuLoads = 0;
        Instant first = null;
        Instant last = null;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String type = e.getEventType().getName();
            if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                continue;
            }
            first = first == null || e.getStartTime().isBefore(first) ? e.getStartTime() : first;
            last = last == null || e.getStartTime().isAfter(last) ? e.getStartTime() : last;
            if (type.equals("jdk.GarbageCollection")) {
                collections++;
                gcPauseSeconds += e.getDuration("sumOfPauses").toNanos() / 1e9;
                continue;
            }
            if (type.equals("jdk.CPULoad")) {
                cpuLoads++;
                jvmCpu += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
                machineCpu += e.getFloat("machineTotal");
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = stack.getFrames();
            if (type.equals("jdk.ObjectAllocationSample")) {
                double weight = e.getLong("weight");
                allocTotal += weight;
                allocByComponent.merge(component(frames), weight, Double::sum);
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            samples++;
            String component = component(frames);
            byComponent.merge(component, 1L, Long::sum);
            String self = method(frames.get(0));
            selfMethods.merge(self, 1L, Long::sum);
            boolean expr = false;
            List<String> seen = new ArrayList<>();
            for (RecordedFrame f : frames) {
                String m = method(f);
                if (m.startsWith("dev.cel.") || m.startsWith("org.dtlab.model.expr.")) {
                    expr = true;
                }
                for (String entry : ENTRY_POINTS) {
                    if (m.equals(entry) && !seen.contains(entry)) {
                        seen.add(entry);
                        inclusive.merge(entry, 1L, Long::sum);
                    }
                }
            }
            if (expr) {
                anyExpr++;
                celSelfMethods.merge(self, 1L, Long::sum);
            }
        }
        double seconds = first == null ? 0 : Duration.between(first, last).toMillis() / 1e3;
        System.out.printf(
                Locale.ROOT,
                "%s: %.0f s, %,d CPU samples (jdk.ExecutionSample, Java threads)%n",
                args[0],
                seconds,
                samples);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                Locale.ROOT,
                "CPU (jdk.CPULoad, average): this JVM %.2f cores, whole machine %.2f cores of %d%n",
                jvmCpu / Math.max(1, cpuLoads) * cores,
                machineCpu / Math.max(1, cpuLoads) * cores,
                cores);
        System.out.printf(
                Locale.ROOT,
                "GC: %,d collections, %.1f s of pauses (not in the samples)%n%n",
                collections,
                gcPauseSeconds);
        System.out.printf(
                Locale.ROOT,
                "%-50s %8s%n",
                "component (top-most frame that belongs to one)",
                "share");
        print(byComponent, samples);
        System.out.printf(
                Locale.ROOT,
                "%nsamples with a frame in org.dtlab.model.expr or dev.cel anywhere: %.1f %%%n",
                100.0 * anyExpr / Math.max(1, samples));
        System.out.printf(
                Locale.ROOT, "%n%-50s %8s%n", "inclusive (method anywhere on the stack)", "share");
        print(inclusive, samples);
        System.out.printf(Locale.ROOT, "%n%-50s %8s%n", "hottest methods (self)", "share");
        print(topN(selfMethods, top), samples);
        System.out.printf(
                Locale.ROOT, "%n%-50s %8s%n", "hottest methods (self) under expressions", "share");
        print(topN(celSelfMethods, top / 2), samples);
        if (allocTotal > 0) {
            double total = allocTotal;
            System.out.printf(
                    Locale.ROOT,
                    "%nallocation (jdk.ObjectAllocationSample weight, %.1f GB sampled) by"
                            + " component%n",
                    allocTotal / 1e9);
            allocByComponent.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .forEach(
                            en ->
                                    System.out.printf(
                                            Locale.ROOT,
                                            "  %-48s %6.1f %%%n",
                                            en.getKey(),
                                            100 * en.getValue() / total));
        }
    }

    private static String component(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String cls = f.getMethod().getType().getName();
            for (Map.Entry<String, List<String>> c : COMPONENTS.entrySet()) {
                for (String prefix : c.getValue()) {
                    if (cls.startsWith(prefix)) {
                        return c.getKey();
                    }
                }
            }
        }
        return "other (JDK classes only on the stack)";
    }

    private static String method(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static Map<String, Long> topN(Map<String, Long> counts, int n) {
        Map<String, Long> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(n)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    private static void print(Map<String, Long> counts, long total) {
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(
                        e ->
                                System.out.printf(
                                        Locale.ROOT,
                                        "  %-48s %6.1f %%%n",
                                        e.getKey().length() > 48
                                                ? "…"
                                                        + e.getKey()
                                                                .substring(e.getKey().length() - 47)
                                                : e.getKey(),
                                        100.0 * e.getValue() / Math.max(1, total)));
    }
}
