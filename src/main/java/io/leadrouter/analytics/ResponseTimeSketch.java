package io.leadrouter.analytics;

import java.util.Arrays;

/**
 * Response times counted in bins whose width grows by 10 % (the rollups' {@code rt_sketch}, filled by
 * analytics_sketch_bin in V9__analytics.sql): bin 1 holds 0–1 ms, bin k > 1 holds (1.1^(k-2), 1.1^(k-1)] ms.
 * Sketches of quarter hours add up bin by bin; a quantile read from one is within 5 % of the true value.
 */
final class ResponseTimeSketch {

    private static final double GROWTH = 1.1;

    private long[] counts = new long[0];
    private long total;

    void add(int bin, long count) {
        if (bin > counts.length) {
            counts = Arrays.copyOf(counts, bin);
        }
        counts[bin - 1] += count;
        total += count;
    }

    /** The q-quantile (nearest rank) in milliseconds, as the middle of its bin in relative terms; null when empty. */
    Double quantile(double q) {
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.round(representative(i + 1) * 10) / 10.0;
            }
        }
        return representative(counts.length);
    }

    /** The value whose relative distance to both ends of the bin is the same: at most 4.8 % off anything in it. */
    static double representative(int bin) {
        if (bin == 1) {
            return 1;
        }
        double low = Math.pow(GROWTH, bin - 2);
        return 2 * low * GROWTH / (1 + GROWTH);
    }
}
