package io.leadrouter.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * One start of the runnable jar as an operator does it ({@code java -jar}, in a folder holding the
 * sample buyer files), timed from the moment the process is launched until its first lead is delivered.
 * The README's sample lead is posted every 50 ms until it is answered 202.
 */
final class StartupRun {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration AT_MOST = Duration.ofMinutes(3);
    private static final Pattern LEAD_ID = Pattern.compile("\"lead_id\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final String lead;

    StartupRun(String lead) {
        this.lead = lead;
    }

    /**
     * @param variant    the jar and the JVM's options
     * @param workDir    the router's working directory (buyers/ is copied into it; data/ is kept there)
     * @param properties the router's -D overrides
     */
    StartupFigures measure(StartupVariant variant, Path workDir, Map<String, String> properties) throws Exception {
        Files.createDirectories(workDir);
        copyBuyers(workDir.resolve("buyers"));
        int port = Integer.parseInt(properties.get("camel.server.port"));
        Path log = workDir.resolve("router.log");
        double load = loadAverage();

        Instant launched = Instant.now();
        long start = System.nanoTime();
        Process router = new ProcessBuilder(command(variant, properties)).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await("the HTTP port to take connections").until(() -> alive(router, log) && accepts(port));
            double listening = secondsSince(start);
            String leadId = await("POST /leads to answer 202").until(() -> alive(router, log) ? post(port, workDir) : null, id -> id != null);
            double accepted = secondsSince(start);
            await("recipient.delivered of " + leadId).until(() -> alive(router, log) && delivered(port, leadId, workDir));
            double delivered = secondsSince(start);
            double cpu = ProcessResources.cpuSeconds(router.pid());
            if (Boolean.getBoolean("startup.threads")) {
                ProcessResources.cpuSecondsByThread(router.pid()).entrySet().stream()
                        .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(8)
                        .forEach(e -> System.out.printf(Locale.ROOT, "[startup]   CPU %5.2f s  %s%n", e.getValue(), e.getKey()));
            }
            return new StartupFigures(listening, accepted, delivered, cpu,
                    StartupLog.marks(Files.readAllLines(log, StandardCharsets.UTF_8), launched), load);
        } finally {
            stop(router, log);
        }
    }

    private static List<String> command(StartupVariant variant, Map<String, String> properties) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(variant.jvmOptions());
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(variant.jar().toString());
        return command;
    }

    private static ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(AT_MOST).pollDelay(Duration.ZERO).pollInterval(POLL)
                .ignoreExceptionsInstanceOf(IOException.class);
    }

    private static boolean alive(Process router, Path log) {
        if (!router.isAlive()) {
            throw new IllegalStateException("the router ended with exit code " + router.exitValue() + "; see " + log);
        }
        return true;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The admin key the router wrote at its first start (the quick start's data/admin.key); null until it has. */
    private static String key(Path workDir) throws IOException {
        Path file = workDir.resolve("data/admin.key");
        return Files.exists(file) ? Files.readString(file).trim() : null;
    }

    private String post(int port, Path workDir) throws Exception {
        String key = key(workDir);
        if (key == null) {
            return null;
        }
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/leads"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(lead)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            return null;
        }
        Matcher id = LEAD_ID.matcher(response.body());
        if (!id.find()) {
            throw new IllegalStateException("202 without a lead_id: " + response.body());
        }
        return id.group(1);
    }

    private boolean delivered(int port, String leadId, Path workDir) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/leads/" + leadId + "/events"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key(workDir)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 && response.body().contains("\"recipient.delivered\"");
    }

    /** SIGTERM, so that the router stops the PostgreSQL server it started; killed only if it hangs. */
    private static void stop(Process router, Path log) throws InterruptedException {
        router.destroy();
        if (!router.waitFor(90, TimeUnit.SECONDS)) {
            System.err.println("[startup] the router did not stop within 90 s: killed; see " + log);
            router.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void copyBuyers(Path target) throws IOException {
        Files.createDirectories(target);
        try (var samples = Files.list(Path.of("buyers"))) {
            for (Path sample : samples.toList()) {
                Files.copy(sample, target.resolve(sample.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static double secondsSince(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
