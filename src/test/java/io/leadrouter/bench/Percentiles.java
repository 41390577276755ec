package io.leadrouter.bench;

import java.util.Arrays;

/** Percentiles of client-side latencies (linear interpolation, as PostgreSQL's percentile_cont). */
final class Percentiles {

    private Percentiles() {
    }

    static EventTable.Latency of(double[] values) {
        if (values.length == 0) {
            return new EventTable.Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new EventTable.Latency(sorted.length, at(sorted, 0.5), at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double at(double[] sorted, double fraction) {
        double position = fraction * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = (int) Math.ceil(position);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
