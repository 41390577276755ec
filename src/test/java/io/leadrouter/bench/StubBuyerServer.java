package io.leadrouter.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stub buyer, run in a JVM of its own by {@link StubBuyerProcess}: a JDK HTTP server on
 * 127.0.0.1 with a fixed pool of threads.
 * <ul>
 *   <li>{@code POST /fast}: 200 and {@code {"result":"accepted",...}} at once;</li>
 *   <li>{@code POST /slow}: the same after {@code bench.slowMs} (the wait holds no server thread);</li>
 *   <li>{@code GET /stats}: how many requests each path received;</li>
 *   <li>{@code GET /last-fast}: the body of the last request /fast received (to check what a peer posts).</li>
 * </ul>
 * It prints {@code STUB-BUYER LISTENING <port>} when ready and ends when its standard input closes
 * (so it never outlives the benchmark).
 */
public final class StubBuyerServer {

    static final String READY = "STUB-BUYER LISTENING ";
    static final byte[] ACCEPTED = ("{\"result\":\"accepted\",\"lead_id\":\"buyer-12345\",\"payout\":45.00,"
            + "\"message\":\"Lead accepted successfully\"}").getBytes(StandardCharsets.UTF_8);

    private final AtomicLong fast = new AtomicLong();
    private final AtomicLong slow = new AtomicLong();
    private volatile byte[] lastFast = new byte[0];
    private final ScheduledExecutorService later = Executors.newScheduledThreadPool(2);
    private final long slowMs;

    private StubBuyerServer(long slowMs) {
        this.slowMs = slowMs;
    }

    public static void main(String[] args) throws IOException {
        int threads = Integer.getInteger("stub.threads", 32);
        StubBuyerServer stub = new StubBuyerServer(Long.getLong("bench.slowMs", 2000));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        server.setExecutor(pool);
        server.createContext("/fast", stub::fast);
        server.createContext("/slow", stub::slow);
        server.createContext("/stats", stub::stats);
        server.createContext("/last-fast", exchange -> respond(exchange, stub.lastFast));
        server.start();
        System.out.println(READY + server.getAddress().getPort());
        System.out.flush();

        // Standard input is a pipe from the benchmark: its end means the benchmark is gone.
        InputStream in = System.in;
        while (in.read() >= 0) {
            // nothing is ever sent; just wait for the end
        }
        server.stop(0);
        pool.shutdownNow();
        stub.later.shutdownNow();
    }

    private void fast(HttpExchange exchange) throws IOException {
        lastFast = exchange.getRequestBody().readAllBytes();
        fast.incrementAndGet();
        respond(exchange, ACCEPTED);
    }

    private void slow(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        slow.incrementAndGet();
        later.schedule(() -> {
            try {
                respond(exchange, ACCEPTED);
            } catch (IOException e) {
                exchange.close();
            }
        }, slowMs, TimeUnit.MILLISECONDS);
    }

    private void stats(HttpExchange exchange) throws IOException {
        respond(exchange, ("{\"fast\":" + fast.get() + ",\"slow\":" + slow.get() + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
