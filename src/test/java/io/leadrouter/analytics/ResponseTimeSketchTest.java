package io.leadrouter.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResponseTimeSketchTest {

    /** The bin analytics_sketch_bin (V9__analytics.sql) puts a duration in. */
    private static int bin(long ms) {
        return ms <= 1 ? 1 : (int) Math.ceil(Math.log(ms) / Math.log(1.1)) + 1;
    }

    @Test
    void everyQuantileIsWithinFivePercentOfTheExactOne() {
        Random random = new Random(7);
        long[] durations = new long[5_000];
        ResponseTimeSketch sketch = new ResponseTimeSketch();
        for (int i = 0; i < durations.length; i++) {
            durations[i] = 2 + (long) (300 * Math.exp(random.nextGaussian()));
            sketch.add(bin(durations[i]), 1);
        }
        Arrays.sort(durations);
        for (double q : new double[] {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1.0}) {
            long exact = durations[(int) Math.max(1, Math.ceil(q * durations.length)) - 1];
            double estimate = sketch.quantile(q);
            assertTrue(Math.abs(estimate - exact) <= 0.05 * exact, q + ": exact " + exact + ", estimate " + estimate);
        }
    }

    @Test
    void sketchesAddUpBinByBin() {
        ResponseTimeSketch one = new ResponseTimeSketch();
        one.add(bin(100), 3);
        one.add(bin(1000), 1);
        assertEquals(ResponseTimeSketch.representative(bin(100)), one.quantile(0.75), 0.05);
        assertEquals(ResponseTimeSketch.representative(bin(1000)), one.quantile(0.99), 0.05);
        ResponseTimeSketch instant = new ResponseTimeSketch();
        instant.add(bin(0), 4);
        assertEquals(1.0, instant.quantile(0.5));
    }

    @Test
    void anEmptySketchHasNoQuantile() {
        assertNull(new ResponseTimeSketch().quantile(0.5));
    }
}
