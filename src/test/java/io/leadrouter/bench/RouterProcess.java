package io.leadrouter.bench;

import io.leadrouter.testing.Classpath;
import io.leadrouter.testing.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The router in a JVM of its own, started as an operator would ({@code java -cp ... LeadRouterApp})
 * with the scenario's database, topics and buyers folder given as {@code -D} overrides, so that its
 * heap, RSS and CPU are its own.
 */
final class RouterProcess implements AutoCloseable {

    /** The settings of one router JVM. */
    record Settings(String jdbcUrl, String kafkaBootstrapServers, Path buyersDir, String eventsTopic, String leadsTopic,
            String intakeGroup, String heap) {
    }

    private final JavaProcess process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final Path workDir;

    private RouterProcess(JavaProcess process, int port, Path workDir) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
    }

    static RouterProcess start(Settings settings, Path workDir, Path log) throws IOException {
        int port = freePort();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("camel.server.port", String.valueOf(port));
        properties.put("camel.management.port", String.valueOf(freePort()));
        properties.put("camel.server.host", "127.0.0.1");
        properties.put("camel.main.shutdown-timeout", "10");
        properties.put("leadrouter.datasource.url", settings.jdbcUrl());
        properties.put("leadrouter.kafka.bootstrap-servers", settings.kafkaBootstrapServers());
        properties.put("leadrouter.buyers.dir", settings.buyersDir().toString());
        properties.put("leadrouter.buyers.allowed-networks", "127.0.0.0/8"); // the stub buyer
        properties.put("leadrouter.sandbox.enabled", "false");
        properties.put("leadrouter.events.kafka-topic", settings.eventsTopic());
        properties.put("leadrouter.intake.kafka-topic", settings.leadsTopic());
        properties.put("leadrouter.intake.kafka-group", settings.intakeGroup());
        List<String> options = jvmOptions(settings.heap());
        properties.forEach((key, value) -> options.add("-D" + key + "=" + value));
        return new RouterProcess(JavaProcess.start("router", Classpath.withoutTestClasses(), options,
                "io.leadrouter.LeadRouterApp", workDir, log), port, workDir);
    }

    /**
     * The JVM options of a router, and of the camel-proxy beside it: the heap, and the extra options
     * for profiling, e.g. {@code -Dbench.routerJvm=-XX:StartFlightRecording=filename=router.jfr}.
     */
    static List<String> jvmOptions(String heap) {
        List<String> options = new ArrayList<>();
        options.add("-Xmx" + heap);
        for (String option : System.getProperty("bench.routerJvm", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                options.add(option);
            }
        }
        return options;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return process.log();
    }

    /**
     * The admin key the first router on the scenario's database wrote to {@code data/admin.key} in the
     * working folder the instances share.
     */
    String apiKey() throws IOException {
        return java.nio.file.Files.readString(workDir.resolve("data/admin.key")).trim();
    }

    /** The header that authenticates the benchmark's requests. */
    Map<String, String> authorization() throws IOException {
        return Map.of("Authorization", "Bearer " + apiKey());
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Waits until GET /buyers lists every one of these buyers (the router routes only once its buyers are loaded). */
    void awaitBuyers(Collection<String> buyerIds, Duration atMost) {
        try {
            Awaitility.await("router to list its buyers").atMost(atMost).pollInterval(Duration.ofMillis(250))
                    .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the router ended; see " + process.log());
                        }
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url("/buyers")))
                                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + apiKey()).GET().build(),
                                HttpResponse.BodyHandlers.ofString());
                        return response.statusCode() == 200
                                && buyerIds.stream().allMatch(id -> response.body().contains("\"id\":\"" + id + "\""));
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("router not ready with buyers " + buyerIds + " within " + atMost.toSeconds()
                    + " s; see " + process.log(), e);
        }
    }

    /** ERROR and WARN lines of the routers' logs, for the report. */
    static LogSummary logSummary(List<RouterProcess> routers) {
        try {
            List<String> lines = new ArrayList<>();
            for (RouterProcess router : routers) {
                lines.addAll(router.process.logLines());
            }
            return LogSummary.of(lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the router cleanly (SIGTERM), answering its exit code. */
    int stop() {
        return process.stop(Duration.ofSeconds(45));
    }

    @Override
    public void close() {
        stop();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
