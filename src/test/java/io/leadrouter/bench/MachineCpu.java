package io.leadrouter.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine's CPUs were over an interval (every process: the router, PostgreSQL,
 * Kafka, the stub buyer, the load), from the first line of /proc/stat. A latency tail at "half
 * rate" is queueing for CPU when this is near the core count.
 */
final class MachineCpu {

    private final long[] start = ticks();
    private final long startNanos = System.nanoTime();

    static MachineCpu start() {
        return new MachineCpu();
    }

    /** Cores' worth of CPU busy on average since {@link #start()}: 2.0 is a 2-core machine saturated. */
    double busyCores() {
        long[] now = ticks();
        double busyTicks = (now[0] - start[0]) - (now[1] - start[1]);
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? busyTicks / ProcessResources.clockTicksPerSecond() / seconds : 0;
    }

    /** {total, idle + iowait} clock ticks of all CPUs since boot. */
    private static long[] ticks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length && i <= 8; i++) { // user .. steal; guest time is already in user
                total += Long.parseLong(fields[i]);
            }
            return new long[] {total, Long.parseLong(fields[4]) + Long.parseLong(fields[5])};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
