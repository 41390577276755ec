package io.leadrouter.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the runnable jar takes to route its first lead: each run starts {@code java -jar
 * target/lead-router.jar} as a process of its own (free ports, a folder with the sample buyer files)
 * and prints when its HTTP port took connections, when {@code POST /leads} first answered 202 and
 * when that lead's {@code recipient.delivered} could be read, with the log's startup steps; then the
 * medians. Modes: {@code embedded} (nothing configured: embedded PostgreSQL, Kafka and sandbox
 * buyers) and {@code external} (a PostgreSQL 15 server and a Kafka broker started by this tool
 * beforehand). Build the jar first:
 *
 * <pre>
 * mvn -q package -DskipTests
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.leadrouter.bench.StartupTime -Dstartup.runs=5
 * </pre>
 *
 * Options (see {@link StartupOptions}): startup.modes, startup.runs, startup.jar (several, comma
 * separated, to compare builds), startup.jvm, startup.freshData, startup.keepFiles.
 */
public final class StartupTime {

    private StartupTime() {
    }

    public static void main(String[] args) throws Exception {
        StartupOptions options = StartupOptions.fromSystemProperties();
        for (Path jar : options.jars()) {
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build it with mvn -q package -DskipTests");
            }
        }
        // readable by others: the external PostgreSQL runs as a user of its own
        Path root = Files.createTempDirectory("lead-router-startup",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        StartupRun run = new StartupRun(readmeSampleLead());
        System.out.printf("[startup] %s; %d run(s) per mode, jar and JVM options; %s data; files in %s%n",
                Machine.describe().oneLine(), options.runs(), options.freshData() ? "fresh" : "kept", root);
        try {
            for (String mode : options.modes()) {
                Map<StartupVariant, List<StartupFigures>> figures = switch (mode.trim()) {
                    case "embedded" -> embedded(run, options, root.resolve("embedded"));
                    case "external" -> external(run, options, root.resolve("external"));
                    default -> throw new IllegalArgumentException("startup.modes: embedded or external, not " + mode);
                };
                figures.forEach((variant, runs) -> print(mode.trim() + " " + variant.label(), runs));
            }
        } finally {
            if (!options.keepFiles()) {
                BenchServices.deleteRecursively(root);
            }
        }
        System.exit(0);
    }

    private static Map<StartupVariant, List<StartupFigures>> embedded(StartupRun run, StartupOptions options, Path dir) throws Exception {
        Map<StartupVariant, List<StartupFigures>> figures = new LinkedHashMap<>();
        List<StartupVariant> variants = options.variants();
        for (int i = 1; i <= options.runs(); i++) {
            for (int j = 0; j < variants.size(); j++) {
                StartupVariant variant = variants.get(j);
                Map<String, String> properties = commonProperties();
                properties.put("leadrouter.embedded.postgres.port", "0");
                properties.put("leadrouter.embedded.kafka.port", "0");
                Path workDir = dir.resolve(options.freshData() ? "run-" + i + "-" + j : "kept-" + j);
                figures.computeIfAbsent(variant, k -> new ArrayList<>())
                        .add(report("embedded " + variant.label(), i, run.measure(variant, workDir, properties)));
            }
        }
        return figures;
    }

    private static Map<StartupVariant, List<StartupFigures>> external(StartupRun run, StartupOptions options, Path dir) throws Exception {
        Map<StartupVariant, List<StartupFigures>> figures = new LinkedHashMap<>();
        List<StartupVariant> variants = options.variants();
        try (ExternalServices services = new ExternalServices(dir)) {
            services.createTopics("leads", "recipient-events");
            for (int i = 1; i <= options.runs(); i++) {
                for (int j = 0; j < variants.size(); j++) {
                    StartupVariant variant = variants.get(j);
                    String database = "startup_" + (options.freshData() ? i + "_" + j : "kept_" + j);
                    Map<String, String> properties = commonProperties();
                    properties.put("leadrouter.datasource.url", options.freshData() || i == 1
                            ? services.newDatabase(database) : services.jdbcUrl(database));
                    properties.put("leadrouter.kafka.bootstrap-servers", services.kafkaBootstrapServers());
                    // the sample buyer files point at the sandbox, which is off by default when nothing is embedded
                    properties.put("leadrouter.sandbox.enabled", "true");
                    figures.computeIfAbsent(variant, k -> new ArrayList<>()).add(report("external " + variant.label(), i,
                            run.measure(variant, dir.resolve("run-" + i + "-" + j), properties)));
                }
            }
        }
        return figures;
    }

    private static Map<String, String> commonProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("camel.server.host", "127.0.0.1");
        properties.put("camel.server.port", String.valueOf(RouterProcess.freePort()));
        properties.put("camel.management.port", String.valueOf(RouterProcess.freePort()));
        properties.put("leadrouter.sandbox.port", String.valueOf(RouterProcess.freePort()));
        return properties;
    }

    private static StartupFigures report(String what, int run, StartupFigures figures) {
        StringBuilder marks = new StringBuilder();
        figures.logMarks().forEach((mark, seconds) -> marks.append(String.format(Locale.ROOT, " %s %.1f", mark, seconds)));
        System.out.printf(Locale.ROOT, "[startup] %s run %d (load %.1f): listening %.1f s, 202 %.1f s, delivered %.1f s, CPU %.1f s; log:%s%n",
                what, run, figures.loadAverage(), figures.listening(), figures.accepted(), figures.delivered(), figures.cpuSeconds(), marks);
        return figures;
    }

    private static void print(String what, List<StartupFigures> figures) {
        System.out.printf(Locale.ROOT, "[startup] %s, median of %d: listening %.1f s, 202 %.1f s, delivered %.1f s, CPU %.1f s (load %.1f to %.1f)%n",
                what, figures.size(),
                median(figures.stream().mapToDouble(StartupFigures::listening).toArray()),
                median(figures.stream().mapToDouble(StartupFigures::accepted).toArray()),
                median(figures.stream().mapToDouble(StartupFigures::delivered).toArray()),
                median(figures.stream().mapToDouble(StartupFigures::cpuSeconds).toArray()),
                figures.stream().mapToDouble(StartupFigures::loadAverage).min().orElse(Double.NaN),
                figures.stream().mapToDouble(StartupFigures::loadAverage).max().orElse(Double.NaN));
        StringBuilder marks = new StringBuilder();
        for (StartupLog.Mark each : StartupLog.Mark.values()) {
            String mark = each.label();
            double[] seconds = figures.stream().filter(f -> f.logMarks().containsKey(mark))
                    .mapToDouble(f -> f.logMarks().get(mark)).toArray();
            if (seconds.length > 0) {
                marks.append(String.format(Locale.ROOT, " %s %.1f", mark, median(seconds)));
            }
        }
        System.out.println("[startup] " + what + ", median log marks (s after launch):" + marks);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The README's sample lead, the one a newcomer posts first. */
    private static String readmeSampleLead() throws Exception {
        Matcher curl = Pattern.compile("curl -s -X POST localhost:8080/leads .*? -d '(\\{[^']*})'")
                .matcher(Files.readString(Path.of("README.md")));
        if (!curl.find()) {
            throw new IllegalStateException("README.md has no sample curl");
        }
        return curl.group(1);
    }
}
