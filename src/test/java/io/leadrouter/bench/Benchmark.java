package io.leadrouter.bench;

import io.leadrouter.testing.Classpath;
import io.leadrouter.testing.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The Lead Router benchmark (issue 3). One command, nothing but the repository:
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.leadrouter.bench.Benchmark -Dbench.leads=50000
 * </pre>
 * It starts a real PostgreSQL and Kafka broker in this JVM, the stub buyer in a JVM of its own,
 * and for each scenario a router JVM of its own (camel-proxy: the peer's JVM, {@link CamelProxy}); prints a table and writes the same figures to
 * {@code target/bench/bench-<timestamp>.json}. Exits 1 when any scenario's books do not balance.
 * Options ({@code -Dbench.*}): see {@link BenchOptions}.
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static void main(String[] args) {
        int exit;
        try {
            BenchOptions options = BenchOptions.fromSystemProperties();
            String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            long started = System.nanoTime();
            Report report = run(options, runId, System.out);
            report.print(System.out);
            Path json = report.writeJson(Path.of("target", "bench"), runId);
            System.out.printf("%nFigures written to %s; run time %.0f s%n", json, (System.nanoTime() - started) / 1e9);
            exit = report.balanced() ? 0 : 1;
            if (exit != 0) {
                System.out.println("BOOKS DO NOT BALANCE (or a scenario did not finish): this run is not a result.");
            }
        } catch (Throwable e) {
            System.err.println("[bench] failed: " + e);
            e.printStackTrace();
            exit = 2;
        }
        System.out.flush();
        // the embedded broker's threads are not daemons; end the JVM either way
        System.exit(exit);
    }

    /** Runs the chosen scenarios and answers their figures (used by the main method and by BenchmarkBooksTest). */
    static Report run(BenchOptions options, String runId, java.io.PrintStream progress) throws Exception {
        Path workRoot = Files.createTempDirectory("lead-router-bench-work");
        AutoCloseable deleteWorkRoot = ShutdownGuard.register(() -> BenchServices.deleteRecursively(workRoot));
        Path logDir = Path.of("target", "bench", "logs", runId).toAbsolutePath();
        Files.createDirectories(logDir);
        Classpath.snapshot(workRoot.resolve("classpath")); // every router of the run runs the same build
        progress.println("[bench] " + options.scenarios().stream().map(Scenario::runName).toList() + ", " + options.leads()
                + " leads each; logs in " + logDir);
        Machine machine = Machine.describe(); // the build the run starts from
        List<ScenarioResult> results = new ArrayList<>();
        try (BenchServices services = ShutdownGuard.register(new BenchServices());
                StubBuyerProcess stub = ShutdownGuard.register(
                        StubBuyerProcess.start(options.slowMs(), workRoot, logDir.resolve("stub-buyer.log")))) {
            ScenarioRunner runner = new ScenarioRunner(options, services, stub, workRoot, logDir, runId.replace("-", ""));
            Double baseline = null; // requests/s of the baseline; ratios only for unpaced runs
            for (Scenario scenario : options.scenarios()) {
                progress.println("[bench] " + scenario.runName() + ": " + scenario.description());
                long start = System.nanoTime();
                ScenarioResult result;
                try {
                    result = runner.run(scenario);
                } catch (Exception e) {
                    System.err.println("[bench] " + scenario.runName() + " failed: " + e);
                    e.printStackTrace();
                    result = ScenarioResult.failed(scenario, options.leads(), e);
                }
                if (scenario == Scenario.BASELINE && result.error() == null) {
                    baseline = result.leadsPerSecond();
                }
                if (scenario != Scenario.BASELINE && baseline != null && options.rate() <= 0 && !Double.isNaN(result.leadsPerSecond())) {
                    result = result.withRatio(result.leadsPerSecond() / baseline);
                }
                results.add(result);
                progress.printf("[bench] %s done in %.0f s: %.1f leads/s, books %s%s%n", scenario.runName(),
                        (System.nanoTime() - start) / 1e9, result.leadsPerSecond(),
                        result.books() != null && result.books().balanced() ? "balance" : "DO NOT BALANCE",
                        result.error() == null ? "" : " — " + result.error());
            }
            ShutdownGuard.release(stub);
            ShutdownGuard.release(services);
        } finally {
            BenchServices.deleteRecursively(workRoot);
            ShutdownGuard.release(deleteWorkRoot);
        }
        return new Report(machine, options, results);
    }
}
