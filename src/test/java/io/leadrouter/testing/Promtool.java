package io.leadrouter.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' own checker, {@code promtool} (Debian's package prometheus). .ci/run installs it when
 * it is missing and sets LEADROUTER_CI, so these checks never skip in CI; elsewhere a test that
 * needs it says so and skips.
 */
public final class Promtool {

    public record Run(int exitCode, String output) {
    }

    private Promtool() {
    }

    /** Skips the test (outside CI) or fails it (in CI) when promtool is not installed. */
    public static void require() {
        if (installed()) {
            return;
        }
        if (System.getenv("LEADROUTER_CI") != null) {
            fail("promtool is not installed, and CI must run this check (.ci/run installs the prometheus package)");
        }
        Assumptions.abort("promtool is not installed (apt-get install prometheus); skipped outside CI");
    }

    private static boolean installed() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "promtool"))) {
                return true;
            }
        }
        return false;
    }

    /** Runs promtool with these arguments, {@code stdin} (may be null) on its standard input. */
    public static Run run(String stdin, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("promtool " + arguments[0] + " did not end within 60 s: " + output);
        }
        return new Run(process.exitValue(), output);
    }
}
