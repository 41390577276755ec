package io.leadrouter.routes;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;

/**
 * Stands in for the shared attempt route the buyer routes call. Like the real one it has no error
 * handler of its own, so that a failure reaches the calling buyer route's redelivery policy. Added
 * from a lambda, not as a RouteBuilder class: camel-main's package scan in the real-server tests
 * would find such a class on the test class path and try to start it too.
 */
final class DeliveryAttemptStub {

    /** The endpoint the {@code buyer-delivery} template calls for each attempt. */
    static final String ENDPOINT = "direct:delivery-attempt";

    private DeliveryAttemptStub() {
    }

    static void addTo(CamelContext context, Processor attempt) throws Exception {
        RouteBuilder.addRoutes(context, routes -> routes.from(ENDPOINT).routeId("delivery-attempt-stub")
                .errorHandler(routes.noErrorHandler())
                .process(attempt).id("scripted-attempt"));
    }
}
