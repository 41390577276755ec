package io.leadrouter.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP (or HTTPS) server standing in for a buyer's system. It answers requests with the
 * replies it was given, in order (the last one repeats), and records every request it received.
 */
public final class StubBuyer implements AutoCloseable {

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
        // and the client's delayed ACK add about 40 ms to every answer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** A request as the buyer received it, and when it arrived by the stub's clock (before its body was read). */
    public record ReceivedRequest(String method, String path, Map<String, String> headers, String body, Instant arrivedAt) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Reply> replies = new CopyOnWriteArrayList<>();
    private final List<ReceivedRequest> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private StubBuyer(HttpServer server, List<Reply> replies) {
        this.server = server;
        this.replies.addAll(replies);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static StubBuyer answering(Reply... replies) {
        try {
            return new StubBuyer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50), List.of(replies));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTPS buyer presenting the given certificate. */
    public static StubBuyer answeringOverTls(SSLContext tls, Reply... replies) {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
            return new StubBuyer(server, List.of(replies));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<ReceivedRequest> requests() {
        return new ArrayList<>(received);
    }

    public int requestCount() {
        return received.size();
    }

    /** Replaces the replies from now on. */
    public void answerFromNowOn(Reply... newReplies) {
        replies.clear();
        replies.addAll(List.of(newReplies));
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant arrivedAt = Instant.now();
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        int index;
        synchronized (received) {
            received.add(new ReceivedRequest(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers, body, arrivedAt));
            index = received.size() - 1;
        }
        exchange.setAttribute(EchoReply.REQUEST_BODY, body);
        Reply reply = replies.get(Math.min(index, replies.size() - 1));
        reply.send(exchange, closing);
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    /** What the stub answers to one request. */
    public interface Reply {
        void send(HttpExchange exchange, CountDownLatch closing) throws IOException;

        static Reply status(int status, String contentType, String body) {
            return new StatusReply(status, contentType, body);
        }

        static Reply json(int status, String body) {
            return status(status, "application/json", body);
        }

        /** Answers with {@code reply} once {@code gate} opens, or after 10 s if it never does. */
        static Reply once(CountDownLatch gate, Reply reply) {
            return once(gate, reply, java.time.Duration.ofSeconds(10));
        }

        private static Reply once(CountDownLatch gate, Reply reply, java.time.Duration atMost) {
            return (exchange, closing) -> {
                try {
                    gate.await(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                reply.send(exchange, closing);
            };
        }

        /** Answers with {@code reply} after {@code responseTime}, like a buyer that takes a moment. */
        static Reply after(java.time.Duration responseTime, Reply reply) {
            return once(new CountDownLatch(1), reply, responseTime);
        }

        /**
         * Answers with the request it got, as a buyer that echoes everything would: as JSON, as one
         * JSON-escaped string, URL-encoded and base64-encoded.
         */
        static Reply echoing(int status) {
            return new EchoReply(status);
        }

        /** {@code reply} with one more response header, e.g. a {@code Retry-After}. */
        static Reply withHeader(String name, String value, Reply reply) {
            return new HeaderReply(name, () -> value, reply);
        }

        /** {@code reply} with a response header whose value is made when the request comes (an HTTP-date relative to then, say). */
        static Reply withHeader(String name, java.util.function.Supplier<String> value, Reply reply) {
            return new HeaderReply(name, value, reply);
        }

        /** Reads the request and never answers (until the stub is closed). */
        static Reply never() {
            return new SilentReply();
        }
    }

    /** A status line, a content type and a body. */
    private record StatusReply(int status, String contentType, String body) implements Reply {
        @Override
        public void send(HttpExchange exchange, CountDownLatch closing) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        }
    }

    /** Another reply, with one more response header. */
    private record HeaderReply(String name, java.util.function.Supplier<String> value, Reply reply) implements Reply {
        @Override
        public void send(HttpExchange exchange, CountDownLatch closing) throws IOException {
            exchange.getResponseHeaders().set(name, value.get());
            reply.send(exchange, closing);
        }
    }

    /** The request body back, in several encodings. */
    private record EchoReply(int status) implements Reply {
        static final String REQUEST_BODY = "stubBuyerRequestBody";
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public void send(HttpExchange exchange, CountDownLatch closing) throws IOException {
            String request = (String) exchange.getAttribute(REQUEST_BODY);
            ObjectNode echo = JSON.createObjectNode();
            echo.put("result", status < 300 ? "accepted" : "error");
            echo.set("received", JSON.readTree(request));
            echo.put("received_text", request);
            echo.put("received_form", URLEncoder.encode(request, StandardCharsets.UTF_8));
            echo.put("received_b64", Base64.getEncoder().encodeToString(request.getBytes(StandardCharsets.UTF_8)));
            new StatusReply(status, "application/json", JSON.writeValueAsString(echo)).send(exchange, closing);
        }
    }

    /** A buyer that has hung: holds the connection open without a word. */
    private static final class SilentReply implements Reply {
        @Override
        public void send(HttpExchange exchange, CountDownLatch closing) {
            try {
                closing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
