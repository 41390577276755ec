package io.leadrouter.api;

import io.leadrouter.intake.InvalidLeadException;
import io.leadrouter.support.Causes;
import io.leadrouter.support.JsonResponses;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The error handling of every API route (they name it with {@code routeConfigurationId}): a refused
 * lead answers its own status, anything else that fails a request answers 503; both as the API's one
 * JSON error shape, {@code {"error": "...", "status": N}}.
 */
public final class ApiErrors extends RouteConfigurationBuilder {

    public static final String ID = "api-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(InvalidLeadException.class).handled(true)
                    .process(exchange -> {
                        InvalidLeadException refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, InvalidLeadException.class);
                        JsonResponses.error(exchange, refused.status(), refused.getMessage());
                    }).id("answer-refused-lead")
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
