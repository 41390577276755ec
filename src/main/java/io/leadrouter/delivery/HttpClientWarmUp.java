package io.leadrouter.delivery;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts one JSON request through camel-http to a server of its own on the loopback while the router
 * starts, on a thread beside the main one: the HTTP client's and TLS' classes (about 800, and
 * camel-http builds an SSL context even for an {@code http://} buyer) are loaded and their code run
 * once before the first lead reaches a buyer rather than on that lead's time. A failure is logged and
 * changes nothing: the first delivery then does that work itself.
 */
public final class HttpClientWarmUp extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(HttpClientWarmUp.class);
    private static final byte[] ANSWER = "{\"status\":\"accepted\"}".getBytes(StandardCharsets.UTF_8);

    private final CamelContext context;
    private ExecutorService thread;

    public HttpClientWarmUp(CamelContext context) {
        this.context = context;
    }

    @Override
    protected void doStart() {
        thread = context.getExecutorServiceManager().newSingleThreadExecutor(this, "http-client-warm-up");
        thread.execute(this::warmUp);
    }

    @Override
    protected void doStop() {
        context.getExecutorServiceManager().shutdownNow(thread);
    }

    private static final String COMPONENT = "warm-up-http";

    /** The status the loopback server answered (200), or -1 when the warm-up failed (logged at DEBUG). */
    int warmUp() {
        long started = System.nanoTime();
        HttpServer server = null;
        Endpoint endpoint = null;
        try (ProducerTemplate template = context.createProducerTemplate()) {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/warm-up", call -> {
                try (InputStream body = call.getRequestBody(); OutputStream answer = call.getResponseBody()) {
                    body.readAllBytes();
                    call.getResponseHeaders().set("Content-Type", "application/json");
                    call.sendResponseHeaders(200, ANSWER.length);
                    answer.write(ANSWER);
                }
            });
            server.start();
            // a camel-http component of its own: the buyers' one refuses the loopback (BuyerConnections)
            if (context.hasComponent(COMPONENT) == null) {
                context.addComponent(COMPONENT, new HttpComponent());
            }
            endpoint = context.getEndpoint(COMPONENT + HttpEndpoints.uri(
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/warm-up", "POST", 2000, 5000).substring("http".length()));
            Exchange answered = template.request(endpoint, exchange -> {
                exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
                exchange.getMessage().setBody("{\"warm_up\":true}");
            });
            answered.getMessage().getBody(String.class);
            int status = answered.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, -1, Integer.class);
            LOG.debug("HTTP client warmed up in {} ms (status {})", (System.nanoTime() - started) / 1_000_000, status);
            return status;
        } catch (IOException | RuntimeException e) {
            LOG.debug("HTTP client warm-up failed; the first delivery warms it instead", e);
            return -1;
        } finally {
            if (endpoint != null) {
                try {
                    context.removeEndpoint(endpoint);
                } catch (Exception e) {
                    LOG.debug("Warm-up endpoint not removed", e);
                }
            }
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
