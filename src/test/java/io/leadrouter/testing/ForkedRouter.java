package io.leadrouter.testing;

import io.leadrouter.support.EmbeddedPostgresLogin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * The router in a JVM of its own ({@code java -cp ... LeadRouterApp}), for what only a process can
 * show: a SIGKILL in the middle of the work, the exit code of a SIGTERM. It uses the database,
 * topics and buyers folder of a {@link RouterUnderTest} that is already stopped, so that the test
 * reads the books through it.
 */
public final class ForkedRouter implements AutoCloseable {

    private final JavaProcess process;
    private final int port;
    private final String key;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ForkedRouter(JavaProcess process, int port, String key) {
        this.process = process;
        this.port = port;
        this.key = key;
    }

    /** Starts a router process on the storage of {@code storage}, with these extra properties, for a test (C1 only). */
    public static ForkedRouter start(RouterUnderTest storage, Map<String, String> extra) throws IOException {
        return start(storage, extra, List.of("-Xmx512m", JavaProcess.SHORT_LIVED));
    }

    /**
     * As {@link #start(RouterUnderTest, Map)}, for a benchmark: with this much heap at most ({@code -Xmx})
     * and the JIT's optimizing compiler, as the router runs in production.
     */
    public static ForkedRouter start(RouterUnderTest storage, Map<String, String> extra, String heap) throws IOException {
        return start(storage, extra, List.of("-Xmx" + heap));
    }

    private static ForkedRouter start(RouterUnderTest storage, Map<String, String> extra, List<String> jvmOptions) throws IOException {
        int port = RouterUnderTest.freePort();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("camel.server.port", String.valueOf(port));
        properties.put("camel.management.port", String.valueOf(RouterUnderTest.freePort()));
        properties.put("leadrouter.datasource.url", storage.jdbcUrl());
        properties.put("leadrouter.datasource.username", SharedServices.ROUTER_ROLE);
        properties.put("leadrouter.datasource.owner-username", EmbeddedPostgresLogin.SUPERUSER);
        properties.put("leadrouter.kafka.bootstrap-servers", SharedServices.get().kafkaBootstrapServers());
        properties.put("leadrouter.buyers.dir", storage.buyersDir().toString());
        properties.put("leadrouter.buyers.allowed-networks", "127.0.0.0/8");
        properties.put("leadrouter.events.kafka-topic", storage.eventsTopic());
        properties.put("leadrouter.intake.kafka-topic", storage.leadsTopic());
        properties.put("leadrouter.sandbox.enabled", "false");
        properties.put("leadrouter.recovery.delay-ms", "500");
        properties.put("leadrouter.recovery.period-ms", "500");
        // benchmarks write events dated weeks back: kept
        properties.put("leadrouter.retention.days", "3650");
        properties.put("leadrouter.retention.rollup-days", "3650");
        // no RouterUnderTest.QUICK_STOP: a process stops with the production's idle polls, as the stop
        // GracefulShutdownTest checks (with them cut short, the relay's last batch after a SIGTERM could
        // find its Kafka producer already closed by the stop: 9 events left in the outbox in one run)
        properties.putAll(extra);
        List<String> options = new ArrayList<>(jvmOptions);
        properties.forEach((key, value) -> options.add("-D" + key + "=" + value));
        Path dir = Files.createTempDirectory("forked-router");
        JavaProcess process = JavaProcess.start("router", Classpath.withoutTestClasses(), options,
                "io.leadrouter.LeadRouterApp", dir, dir.resolve("router.log"));
        return new ForkedRouter(process, port, storage.adminKey());
    }

    /** Waits until GET /buyers lists this buyer: the router takes leads and routes them. */
    public ForkedRouter awaitBuyer(String buyerId) {
        Awaitility.await("forked router to list " + buyerId).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the router ended; see " + process.log());
                    }
                    HttpResponse<String> buyers = get("/buyers");
                    return buyers.statusCode() == 200 && buyers.body().contains("\"id\":\"" + buyerId + "\"");
                });
        return this;
    }

    /** Posts a lead; answers the response (any status), or throws UncheckedIOException when nobody listens. */
    public HttpResponse<String> postLead(String json) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/leads"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key).GET().build());
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String key() {
        return key;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: gone at once, in the middle of whatever it was doing. */
    public void kill() {
        process.kill();
    }

    /** SIGTERM, and the exit code once it has ended (or -1 if it had to be killed after {@code grace}). */
    public int terminate(Duration grace) {
        return process.stop(grace);
    }

    public List<String> logLines() throws IOException {
        return process.logLines();
    }

    public Path log() {
        return process.log();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }

    private HttpResponse<String> send(HttpRequest request) {
        return HttpCalls.send(http, request);
    }
}
