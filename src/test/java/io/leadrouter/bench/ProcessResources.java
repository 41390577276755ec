package io.leadrouter.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Watches another JVM while a scenario runs: its heap through one long-running
 * {@code jstat -gc <pid> 250ms} (one sample every 250 ms, without starting a JVM per sample),
 * its peak RSS ({@code VmHWM} in /proc/<pid>/status) and its CPU time (utime + stime in
 * /proc/<pid>/stat, in clock ticks of {@code getconf CLK_TCK}).
 */
final class ProcessResources implements AutoCloseable {

    /** What was measured. Heap figures in MiB; -1 when jstat gave nothing. */
    record Usage(double peakHeapUsedMiB, double peakHeapCommittedMiB, long youngGcs, long fullGcs, long concurrentGcs,
            double gcSeconds, int heapSamples, double peakRssMiB, double cpuSeconds) {

        /** Several JVMs as one: the largest heap of any, RSS, CPU and collections added up. */
        static Usage ofAll(List<Usage> usages) {
            return usages.stream().reduce((a, b) -> new Usage(Math.max(a.peakHeapUsedMiB, b.peakHeapUsedMiB),
                    Math.max(a.peakHeapCommittedMiB, b.peakHeapCommittedMiB), a.youngGcs + b.youngGcs, a.fullGcs + b.fullGcs,
                    a.concurrentGcs + b.concurrentGcs, a.gcSeconds + b.gcSeconds, a.heapSamples + b.heapSamples,
                    a.peakRssMiB + b.peakRssMiB, a.cpuSeconds + b.cpuSeconds)).orElseThrow();
        }
    }

    private static final long CLOCK_TICKS = clockTicks();

    private final long pid;
    private final Process jstat;
    private final Thread reader;
    private final double cpuBefore;
    private volatile double peakUsedKb = -1;
    private volatile double peakCommittedKb = -1;
    private volatile Map<String, Double> last = Map.of();
    private volatile int samples;

    private ProcessResources(long pid) throws IOException {
        this.pid = pid;
        this.cpuBefore = cpuSeconds(pid);
        this.jstat = new ProcessBuilder("jstat", "-gc", String.valueOf(pid), "250ms")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        this.reader = new Thread(this::readSamples, "jstat-" + pid);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts watching; the CPU time so far (the JVM's start-up) is not counted. */
    static ProcessResources watch(long pid) throws IOException {
        return new ProcessResources(pid);
    }

    /** Stops watching and answers the figures. Call while the process is still alive. */
    Usage finish() {
        double cpuAfter = cpuSeconds(pid);
        double peakRssKb = statusKb(pid, "VmHWM");
        jstat.destroy();
        try {
            jstat.waitFor(5, TimeUnit.SECONDS);
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jstat.destroyForcibly();
        Map<String, Double> gc = last;
        return new Usage(mib(peakUsedKb), mib(peakCommittedKb), gc.getOrDefault("YGC", -1d).longValue(),
                gc.getOrDefault("FGC", -1d).longValue(), gc.getOrDefault("CGC", -1d).longValue(), gc.getOrDefault("GCT", -1d),
                samples, mib(peakRssKb), cpuAfter - cpuBefore);
    }

    /** Stops jstat, if {@link #finish()} has not. */
    @Override
    public void close() {
        jstat.destroyForcibly();
    }

    private void readSamples() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
            String[] header = null;
            for (String line; (line = lines.readLine()) != null; ) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 0 && fields[0].equals("S0C")) {
                    header = fields;
                    continue;
                }
                if (header == null || fields.length != header.length) {
                    continue;
                }
                Map<String, Double> sample = new HashMap<>();
                for (int i = 0; i < fields.length; i++) {
                    sample.put(header[i], number(fields[i]));
                }
                double used = sum(sample, "S0U", "S1U", "EU", "OU");
                double committed = sum(sample, "S0C", "S1C", "EC", "OC");
                peakUsedKb = Math.max(peakUsedKb, used);
                peakCommittedKb = Math.max(peakCommittedKb, committed);
                last = sample;
                samples++;
            }
        } catch (IOException e) {
            // jstat was stopped
        }
    }

    private static double sum(Map<String, Double> sample, String... keys) {
        double total = 0;
        for (String key : keys) {
            total += sample.getOrDefault(key, 0d);
        }
        return total;
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0; // "-" for a space the collector does not have
        }
    }

    private static double mib(double kb) {
        return kb < 0 ? -1 : kb / 1024.0;
    }

    /** utime + stime of the process, in seconds. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // the command name (field 2) may hold spaces: count from the closing parenthesis
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * utime + stime of each of the process's threads, in seconds, summed by the thread's name with its
     * digits left out ("C2 CompilerThread0" and "C1 CompilerThread1" are "C# CompilerThre#": the kernel
     * keeps 15 characters of a name).
     */
    static Map<String, Double> cpuSecondsByThread(long pid) throws IOException {
        Map<String, Double> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS, Double::sum);
                } catch (NoSuchFileException ended) {
                    // the thread ended meanwhile
                }
            }
        }
        return byName;
    }

    /** A "Key:   123 kB" line of /proc/<pid>/status, in kB; -1 when unreadable. */
    static double statusKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(key + ":")) {
                    return Double.parseDouble(line.substring(key.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone
        }
        return -1;
    }

    static long clockTicksPerSecond() {
        return CLOCK_TICKS;
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            if (getconf.waitFor(10, TimeUnit.SECONDS)) {
                List<String> out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
                return Long.parseLong(out.get(0).trim());
            }
            getconf.destroyForcibly();
        } catch (IOException | RuntimeException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
