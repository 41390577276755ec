package io.leadrouter.bench;

import io.leadrouter.testing.Classpath;
import io.leadrouter.testing.JavaProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@link CamelProxy} in a JVM of its own, with the router's JVM options and heap. */
final class CamelProxyProcess implements AutoCloseable {

    private final JavaProcess process;
    private final int port;

    private CamelProxyProcess(JavaProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static CamelProxyProcess start(String buyerUrl, String heap, Path workDir, Path log) throws IOException {
        int port = RouterProcess.freePort();
        List<String> options = new ArrayList<>(RouterProcess.jvmOptions(heap));
        options.add("-Dcamel.proxy.port=" + port);
        options.add("-Dcamel.proxy.buyerUrl=" + buyerUrl);
        JavaProcess process = JavaProcess.start("camel-proxy", Classpath.full(), options, CamelProxy.class.getName(),
                workDir, log);
        process.awaitLogLine(line -> line.startsWith(CamelProxy.READY), Duration.ofMinutes(2));
        return new CamelProxyProcess(process, port);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return process.log();
    }

    /** Stops the proxy (SIGTERM), answering its exit code. */
    int stop() {
        return process.stop(Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        stop();
    }
}
