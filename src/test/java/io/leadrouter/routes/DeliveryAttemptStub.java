package io.leadrouter.routes;

import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;

/**
 * Stands in for the shared attempt route the buyer routes call. Like the real one it has no error
 * handler of its own, so that a failure reaches the calling buyer route's redelivery policy.
 */
final class DeliveryAttemptStub extends RouteBuilder {

    /** The endpoint the {@code buyer-delivery} template calls for each attempt. */
    static final String ENDPOINT = "direct:delivery-attempt";

    private final Processor attempt;

    DeliveryAttemptStub(Processor attempt) {
        this.attempt = attempt;
    }

    @Override
    public void configure() {
        from(ENDPOINT).routeId("delivery-attempt-stub")
                .errorHandler(noErrorHandler())
                .process(attempt).id("scripted-attempt");
    }
}
