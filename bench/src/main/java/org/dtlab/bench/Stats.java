package org.dtlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Medians, spreads, percentiles and sizes on disk for the benchmark results. */
final class Stats {

    private Stats() {}

    /** Median, min, max and every value (rounded), for a figure measured several times. */
    static Map<String, Object> summary(List<Double> values) {
        List<Double> sorted = sorted(values);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("median", Math.round(median(values)));
        s.put("min", Math.round(sorted.get(0)));
        s.put("max", Math.round(sorted.get(sorted.size() - 1)));
        s.put("all", sorted.stream().map(Math::round).toList());
        return s;
    }

    /**
     * {@code a[i] / b[i]} for each run i, rounded to 2 decimals (a and b measured in the same
     * runs).
     */
    static List<Double> ratios(List<Double> a, List<Double> b) {
        List<Double> r = new ArrayList<>(a.size());
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            r.add(round2(a.get(i) / b.get(i)));
        }
        return r;
    }

    static double median(List<Double> values) {
        List<Double> sorted = sorted(values);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The p-quantile (0..1) of sorted values, or null when there are none. */
    static Double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return null;
        }
        return round2(
                sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)));
    }

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** The bytes of all files under {@code dir} (0 when it does not exist). */
    static long bytesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static List<Double> sorted(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }
}
