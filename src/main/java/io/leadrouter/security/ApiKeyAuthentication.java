package io.leadrouter.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.SimpleAuthenticationHandler;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;

/**
 * Authenticates every request to the API's HTTP server by its key, {@code Authorization: Bearer <key>},
 * {@code X-Api-Key: <key>} or HTTP Basic with the key as password, before Camel sees it: Camel's platform-http runs this handler for every
 * path (an {@link AuthenticationConfig} entry for {@code /*}; the console's files alone are let through) and hands the caller to the route as the
 * Vert.x user ({@link #callerOf}). Without a key, or with one not in force, the answer is 401 (the same
 * whichever it was); an address that keeps failing gets 429 for a while instead ({@link FailureThrottle}),
 * while requests with a key in force still pass.
 * What the caller may do is decided per operation by {@link ApiAccess}.
 */
public final class ApiKeyAuthentication {

    private final KeyRing keys;
    private final FailureThrottle throttle;

    public ApiKeyAuthentication(KeyRing keys, FailureThrottle throttle) {
        this.keys = keys;
        this.throttle = throttle;
    }

    /**
     * The entry that makes Camel's HTTP server authenticate every path with this but those {@code open}
     * accepts (the console's files, which hold no data), judged on the path as Vert.x routes it
     * (normalized: {@code /console/../buyers} is {@code /buyers}). A request to an open path passes
     * as no caller: an API operation would still refuse it.
     */
    public AuthenticationConfig.AuthenticationConfigEntry everyPathBut(Predicate<String> open) {
        return entry("/*", ctx -> open.test(ctx.normalizedPath())
                ? Future.succeededFuture(User.create(new JsonObject()))
                : authenticate(ctx));
    }

    /**
     * An entry for one path of the management server (metrics, Jolokia): a key in force whose role
     * grants {@code needed} passes; other keys get 403, no key or an unknown one 401.
     */
    public AuthenticationConfig.AuthenticationConfigEntry path(String path, Role needed) {
        return entry(path, ctx -> authenticate(ctx).compose(user -> callerOf(user).filter(c -> c.role().grants(needed)).isPresent()
                ? Future.succeededFuture(user) : Future.failedFuture(new HttpException(403))));
    }

    private static AuthenticationConfig.AuthenticationConfigEntry entry(String path,
            Function<RoutingContext, Future<User>> check) {
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        entry.setPath(path);
        entry.setAuthenticationProviderFactory(vertx -> (AuthenticationProvider) (credentials, resultHandler) -> {
            throw new UnsupportedOperationException("keys are checked by the handler");
        });
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T unused) {
                return SimpleAuthenticationHandler.create().authenticate(check);
            }
        });
        return entry;
    }

    Future<User> authenticate(RoutingContext ctx) {
        Optional<Caller> caller = presentedKey(ctx).flatMap(keys::authenticate);
        if (caller.isEmpty()) {
            // a key in force always passes: clients sharing an address with a guesser are not locked out
            String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
            long wait = throttle.secondsToWait(address);
            if (wait > 0) {
                return Future.failedFuture(new HttpException(429, String.valueOf(wait)));
            }
            throttle.failed(address);
            return Future.failedFuture(new HttpException(401));
        }
        Caller c = caller.get();
        return Future.succeededFuture(User.create(new JsonObject().put("username", c.keyId())
                .put("role", c.role().id()).put("recipient_id", c.recipientId())));
    }

    /** The caller of an authenticated request, from the user Camel's platform-http puts on the message. */
    public static Optional<Caller> callerOf(Object user) {
        if (!(user instanceof User authenticated) || authenticated.principal() == null) {
            return Optional.empty();
        }
        JsonObject principal = authenticated.principal();
        String keyId = principal.getString("username");
        String role = principal.getString("role");
        if (keyId == null || role == null) {
            return Optional.empty();
        }
        return Optional.of(new Caller(keyId, Role.of(role), principal.getString("recipient_id")));
    }

    /**
     * The key: {@code Bearer <key>}, {@code X-Api-Key: <key>}, or HTTP Basic with the key as password
     * (any user name), which is how Hawtio's Connect page and {@code curl -u} present credentials.
     */
    static Optional<String> presentedKey(RoutingContext ctx) {
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).trim());
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return basicPassword(authorization.substring(6).trim());
        }
        return Optional.ofNullable(ctx.request().getHeader("X-Api-Key")).map(String::trim);
    }

    private static Optional<String> basicPassword(String encoded) {
        try {
            String userAndPassword = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = userAndPassword.indexOf(':');
            return colon < 0 ? Optional.empty() : Optional.of(userAndPassword.substring(colon + 1));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}
