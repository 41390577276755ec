package io.leadrouter.bench;

import io.leadrouter.testing.Classpath;
import io.leadrouter.testing.JavaProcess;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The stub buyer ({@link StubBuyerServer}) in a JVM of its own. */
final class StubBuyerProcess implements AutoCloseable {

    private final JavaProcess process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private StubBuyerProcess(JavaProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static StubBuyerProcess start(int slowMs, Path workDir, Path log) throws IOException {
        JavaProcess process = JavaProcess.start("stub buyer", Classpath.full(), List.of(
                "-Xmx256m",
                "-Dbench.slowMs=" + slowMs,
                // small answers on keep-alive connections: no Nagle delay
                "-Dsun.net.httpserver.nodelay=true"),
                StubBuyerServer.class.getName(), workDir, log);
        String ready = process.awaitLogLine(line -> line.startsWith(StubBuyerServer.READY), Duration.ofSeconds(30));
        return new StubBuyerProcess(process, Integer.parseInt(ready.substring(StubBuyerServer.READY.length()).trim()));
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    long pid() {
        return process.pid();
    }

    /** Requests received so far by /fast and /slow. */
    Counts counts() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url("/stats")))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode stats = new ObjectMapper().readTree(response.body());
            return new Counts(stats.path("fast").asLong(), stats.path("slow").asLong());
        } catch (IOException e) {
            throw new IllegalStateException("stub buyer stats not readable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The body of the last request /fast received. */
    String lastFastBody() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url("/last-fast"))).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new IllegalStateException("stub buyer's last /fast body not readable", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Requests received by each path. */
    record Counts(long fast, long slow) {
        Counts minus(Counts before) {
            return new Counts(fast - before.fast, slow - before.slow);
        }
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
    }
}
