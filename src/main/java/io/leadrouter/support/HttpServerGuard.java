package io.leadrouter.support;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API's HTTP server needs beyond what {@code camel.server.*} configures: connections that
 * send nothing, or a request too slowly (a slowloris), are closed; every answer the server gives by
 * itself (no API key 401, too many failed keys 429, unknown path 404, wrong method 405, body over {@code camel.server.maxBodySize} 413,
 * headers too large 431, a malformed request 400, a fault 500, a request while the router starts or
 * stops 503) has the API's JSON error shape.
 *
 * <p>Camel's platform-http server (Vert.x) creates its HTTP server from a Vert.x instance it finds
 * in the registry, and offers no hook for the server's connections: so the router binds a Vert.x
 * whose {@code createHttpServer} it watches (a proxy; everything else goes straight through).
 */
public final class HttpServerGuard {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerGuard.class);

    /** Methods Vert.x refuses to decode a form body for (it throws instead of answering). */
    private static final java.util.Set<io.vertx.core.http.HttpMethod> FORM_DECODING_NOT_ALLOWED = java.util.Set.of(
            io.vertx.core.http.HttpMethod.GET, io.vertx.core.http.HttpMethod.HEAD, io.vertx.core.http.HttpMethod.OPTIONS,
            io.vertx.core.http.HttpMethod.TRACE, io.vertx.core.http.HttpMethod.CONNECT);

    private final CamelContext context;
    private final long idleTimeoutMs;
    private final long requestReadTimeoutMs;
    private final Map<HttpConnection, Watch> connections = new ConcurrentHashMap<>();
    private Vertx vertx;

    /**
     * @param idleTimeoutMs        how long a connection may go without sending a complete request head
     *                             (after it opened, or after its last answer)
     * @param requestReadTimeoutMs how long a request's body may take to arrive in full after its head
     */
    public HttpServerGuard(CamelContext context, long idleTimeoutMs, long requestReadTimeoutMs) {
        this.context = context;
        this.idleTimeoutMs = idleTimeoutMs;
        this.requestReadTimeoutMs = requestReadTimeoutMs;
    }

    /** How long a connection whose request could not be decoded stays open after its answer. */
    private static final long LINGER_MS = 2000;

    /** The Vert.x to bind in the registry, for Camel's HTTP server to create its server from. */
    public Vertx watching(Vertx real) {
        this.vertx = real;
        return proxy(VertxInternal.class, real, (method, args) -> {
            if (method.getName().equals("createHttpServer") && args != null && args[0] instanceof HttpServerOptions options) {
                // HTTP/1.1 only: with h2c on, Vert.x sees a connection only once its first bytes arrive
                options.setHttp2ClearTextEnabled(false);
            }
            Object result = method.invoke(real, args);
            return method.getName().equals("createHttpServer") ? guarded((HttpServer) result) : result;
        });
    }

    private HttpServer guarded(HttpServer server) {
        server.connectionHandler(this::opened);
        server.invalidRequestHandler(this::invalidRequest);
        HttpServer[] self = new HttpServer[1];
        self[0] = proxy(HttpServer.class, server, (method, args) -> {
            if (method.getName().equals("requestHandler") && args != null && args.length == 1) {
                Router router = (Router) args[0];
                answerErrorsInJson(router);
                server.requestHandler(request -> received(request, router));
                return self[0];
            }
            Object result = method.invoke(server, args);
            return result == server ? self[0] : result;
        });
        return self[0];
    }

    private void opened(HttpConnection connection) {
        Watch watch = new Watch();
        connections.put(connection, watch);
        connection.closeHandler(closed -> {
            watch.cancel();
            connections.remove(connection);
        });
        watch.closeUnlessRequested(connection, null);
    }

    private void received(HttpServerRequest request, Router router) {
        Watch watch = connections.get(request.connection());
        if (watch != null) {
            watch.current = request;
            watch.closeUnlessRead(request);
            request.response().endHandler(answered -> watch.closeUnlessRequested(request.connection(), request));
        }
        if (!context.getStatus().isStarted()) {
            // Camel's own answer while its routes are suspended is a bare 503
            respond(request, 503, "the router is " + (context.getStatus().isStarting() ? "starting" : "stopping")
                    + "; try again later");
            return;
        }
        if (FORM_DECODING_NOT_ALLOWED.contains(request.method()) && isForm(request.getHeader("Content-Type"))) {
            // Vert.x's body handler would start decoding a form a GET cannot carry, and fail with a 500
            request.headers().remove("Content-Type");
        }
        router.handle(request);
    }

    private static boolean isForm(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.toLowerCase(java.util.Locale.ROOT).strip();
        return type.startsWith("multipart/") || type.startsWith("application/x-www-form-urlencoded");
    }

    /**
     * A request Vert.x could not decode (a head over its size limits, a malformed line): its status, in
     * JSON, then close, {@value #LINGER_MS} ms later. Closing at once, while the client is still sending
     * the rest of its head, has the kernel answer those bytes with a reset, which can reach the client
     * before it has read the answer (it then sees the connection end with none); meanwhile the decoder
     * drops whatever else arrives.
     */
    private void invalidRequest(HttpServerRequest request) {
        request.response().putHeader("Connection", "close");
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            respond(request, 414, "request line is longer than the server accepts");
        } else if (cause instanceof TooLongHttpHeaderException) {
            respond(request, 431, "request headers are larger than the server accepts");
        } else {
            respond(request, 400, "malformed HTTP request");
        }
        HttpConnection connection = request.connection();
        vertx.setTimer(LINGER_MS, lingered -> connection.close());
    }

    private static void answerErrorsInJson(Router router) {
        router.errorHandler(401, ctx -> {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            respond(ctx, 401, "an API key in force is required: 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'");
        });
        router.errorHandler(429, ctx -> {
            String wait = ctx.failure() instanceof HttpException tooMany && tooMany.getPayload() != null ? tooMany.getPayload() : "60";
            ctx.response().putHeader("Retry-After", wait);
            respond(ctx, 429, "too many requests without a valid API key from this address; try again in " + wait + " s");
        });
        router.errorHandler(404, ctx -> respond(ctx, 404, "no such resource: " + ctx.request().method() + " " + ctx.request().path()));
        router.errorHandler(405, ctx -> respond(ctx, 405, "method " + ctx.request().method() + " is not allowed on " + ctx.request().path()));
        router.errorHandler(413, ctx -> respond(ctx, 413, "request body is larger than the server accepts (camel.server.maxBodySize)"));
        router.errorHandler(400, ctx -> respond(ctx, 400, "bad request: " + (ctx.failure() == null ? "unreadable" : ctx.failure().getMessage())));
        router.errorHandler(500, ctx -> {
            LOG.error("Request {} {} failed in the HTTP server", ctx.request().method(), ctx.request().path(), ctx.failure());
            respond(ctx, 500, "the router failed to answer this request");
        });
    }

    private static void respond(RoutingContext ctx, int status, String problem) {
        respond(ctx.request(), status, problem);
    }

    private static void respond(HttpServerRequest request, int status, String problem) {
        if (request.response().ended() || request.response().headWritten()) {
            return;
        }
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json");
        if (status == 503) {
            request.response().putHeader("Retry-After", JsonResponses.RETRY_AFTER_SECONDS);
        }
        request.response().end(JsonResponses.errorBody(status, problem).toString());
    }

    /** The timer of one connection; touched only on the connection's event loop. */
    private final class Watch {
        private long timer = -1;
        private HttpServerRequest current;

        /** Closes the connection if no new request head arrives in time (idle, or a slow head). */
        void closeUnlessRequested(HttpConnection connection, HttpServerRequest last) {
            arm(idleTimeoutMs, () -> {
                if (current == last) {
                    LOG.debug("Closing connection from {}: no request for {} ms", connection.remoteAddress(), idleTimeoutMs);
                    connection.close();
                }
            });
        }

        /** Closes the connection if the request's body has not arrived in full in time. */
        void closeUnlessRead(HttpServerRequest request) {
            arm(requestReadTimeoutMs, () -> {
                if (!request.isEnded()) {
                    LOG.debug("Closing connection from {}: request body not received within {} ms",
                            request.connection().remoteAddress(), requestReadTimeoutMs);
                    request.connection().close();
                }
            });
        }

        private void arm(long delayMs, Runnable check) {
            cancel();
            timer = vertx.setTimer(delayMs, id -> check.run());
        }

        void cancel() {
            if (timer != -1) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }

    /** An object of the interface that goes to {@code target}, with {@code handler} seeing each call. */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, Call handler) {
        InvocationHandler invocation = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals") ? proxy == args[0] : method.invoke(target, args);
            }
            try {
                return handler.call(method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, invocation);
    }

    @FunctionalInterface
    private interface Call {
        Object call(Method method, Object[] args) throws Exception;
    }
}
