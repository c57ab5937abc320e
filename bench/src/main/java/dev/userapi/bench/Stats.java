package dev.userapi.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A figure measured several times: its median, its spread, and every run. */
record Stats(double median, double min, double max, List<Double> runs) {

    static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new Stats(median, sorted.get(0), sorted.get(n - 1), List.copyOf(values));
    }

    /** The {@code p}-th percentile (0..100) of {@code values}, nearest rank. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            throw new IllegalStateException("no samples to take a percentile of (did every request fail? see the stack's log above)");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    /** Spread as a percentage of the median: (max - min) / median. */
    double spreadPercent() {
        return median == 0 ? 0 : (max - min) / median * 100;
    }

    Map<String, Object> json(int decimals) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", round(median, decimals));
        m.put("min", round(min, decimals));
        m.put("max", round(max, decimals));
        m.put("runs", runs.stream().map(v -> round(v, decimals)).toList());
        return m;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
