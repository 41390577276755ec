package io.leadrouter.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A child JVM ({@code java -cp <classpath> <main>}) whose output goes to a log file. Stopping sends
 * SIGTERM (the router's graceful stop), then kills it if it has not ended in time.
 */
public final class JavaProcess implements AutoCloseable {

    /**
     * The JIT option for a JVM a test starts for seconds (a router, the benchmark's peers): without the
     * optimizing compiler, whose threads took about 40 % of a router start's CPU on two cores (README,
     * Startup time: "suits a quick start or a test run").
     */
    public static final String SHORT_LIVED = "-XX:TieredStopAtLevel=1";

    private final String name;
    private final Process process;
    private final Path log;

    private JavaProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param jvmOptions options before the main class ({@code -Xmx1g}, {@code -Dkey=value})
     * @param workDir    the child's working directory
     */
    public static JavaProcess start(String name, String classpath, List<String> jvmOptions, String mainClass, Path workDir, Path log)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new JavaProcess(name, process, log);
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until a line of the log matches, and answers it; fails early if the process dies. A process
     * that does not get there is closed, so that a failed start leaves nothing running.
     */
    public String awaitLogLine(Predicate<String> matching, Duration atMost) {
        try {
            return Awaitility.await(name + " to be ready").atMost(atMost).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(name + " ended with exit code " + process.exitValue() + "; see " + log);
                        }
                        return logLines().stream().filter(matching).findFirst().orElse(null);
                    }, line -> line != null);
        } catch (ConditionTimeoutException e) {
            close();
            throw new IllegalStateException(name + " not ready within " + atMost.toSeconds() + " s; see " + log, e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public List<String> logLines() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, java.nio.charset.StandardCharsets.UTF_8) : List.of();
    }

    /** Kills the process at once (SIGKILL), as a crash or a power cut would, and waits for it to be gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the process to end (SIGTERM), waits up to {@code grace}, then kills it. Answers the exit code. */
    public int stop(Duration grace) {
        if (process.isAlive()) {
            process.destroy();
        }
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                System.err.println(name + " did not stop within " + grace.toSeconds() + " s: killed");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        return process.isAlive() ? -1 : process.exitValue();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
