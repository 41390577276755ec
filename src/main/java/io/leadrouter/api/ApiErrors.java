package io.leadrouter.api;

import io.leadrouter.security.AccessDeniedException;
import io.leadrouter.intake.InvalidLeadException;
import io.leadrouter.support.Causes;
import io.leadrouter.support.JsonResponses;
import io.leadrouter.support.RequestRefused;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * What every API route does first and on error (they name it with {@code routeConfigurationId}): the
 * caller's key is checked against the operation ({@link io.leadrouter.security.ApiAccess}); a refused
 * key answers 401 or 403, a refused lead its own status, anything else that fails a request answers 503; both as the API's one
 * JSON error shape, {@code {"error": "...", "status": N}}.
 */
public final class ApiErrors extends RouteConfigurationBuilder {

    public static final String ID = "api-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                // every API operation first checks that the caller's key may call it
                .interceptFrom().process("apiAccess").id("check-api-access").end()
                .onException(AccessDeniedException.class, InvalidLeadException.class).handled(true)
                    .process(exchange -> {
                        RequestRefused refused = (RequestRefused) exchange.getProperty(Exchange.EXCEPTION_CAUGHT);
                        JsonResponses.error(exchange, refused.status(), refused.getMessage());
                    }).id("answer-refused-request")
                .end()
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.ERROR, "API request failed: ${exception.message}")
                    .process(exchange -> JsonResponses.error(exchange, 503, "the router could not answer: " + rootType(exchange)))
                        .id("answer-router-fault")
                .end();
    }

    private static String rootType(Exchange exchange) {
        Throwable t = Causes.root(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
        return t == null ? "unknown error" : t.getClass().getSimpleName();
    }
}
