package io.leadrouter.dev;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pretend buyers for the quick start, each behaving the same way every time, so that a newcomer
 * sees every event type: {@code /sandbox/accept} buys the lead, {@code /sandbox/reject} turns it
 * down as a duplicate, {@code /sandbox/fail} answers 503 (retried, then dead-lettered) and
 * {@code /sandbox/slow} answers after 10 seconds.
 */
public final class SandboxBuyers extends ServiceSupport implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxBuyers.class);

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
        // and the client's delayed ACK add about 40 ms to every answer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final InetSocketAddress address;
    private CamelContext context;
    private HttpServer server;
    private ExecutorService executor;

    /** @param address where to listen (port 0 for any free port); its threads come from the context it is added to */
    public SandboxBuyers(InetSocketAddress address) {
        this.address = address;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    protected void doStart() throws IOException {
        server = HttpServer.create(address, 100);
        server.createContext("/sandbox/accept", new AcceptingBuyer());
        server.createContext("/sandbox/reject", exchange ->
                answer(exchange, 200, "{\"result\":\"rejected\",\"message\":\"Duplicate lead - already purchased\"}"));
        server.createContext("/sandbox/fail", exchange ->
                answer(exchange, 503, "{\"error\":\"service unavailable\"}"));
        server.createContext("/sandbox/slow", new SlowBuyer());
        executor = context.getExecutorServiceManager().newFixedThreadPool(this, "sandbox-buyers", 8);
        server.setExecutor(executor);
        server.start();
        LOG.info("Sandbox buyers listen on http://{}:{}/sandbox/{accept,reject,fail,slow}", address.getHostString(), port());
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
            context.getExecutorServiceManager().shutdownNow(executor);
            server = null;
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    static void answer(HttpExchange exchange, int status, String json) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** Accepts every lead, pays 45.00 and gives it a buyer-side id. */
    private static final class AcceptingBuyer implements HttpHandler {
        private final AtomicLong sequence = new AtomicLong(10000);

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            answer(exchange, 200, "{\"result\":\"accepted\",\"lead_id\":\"buyer-" + sequence.incrementAndGet()
                    + "\",\"payout\":45.00,\"message\":\"Lead accepted successfully\"}");
        }
    }

    /** Answers too late for any sensible timeout. */
    private static final class SlowBuyer implements HttpHandler {
        @Override
        public void handle(HttpExchange exchange) throws IOException {
            try {
                Thread.sleep(10_000); // the point of this buyer is to be slow
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "{\"result\":\"accepted\"}");
        }
    }
}
