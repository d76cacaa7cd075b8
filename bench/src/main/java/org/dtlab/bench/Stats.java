package org.dtlab.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Medians, spreads and percentiles for the benchmark results. */
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
        return round2(sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)));
    }

    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static List<Double> sorted(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted;
    }
}
