package io.leadrouter.delivery;

import org.apache.camel.builder.RouteBuilder;

/**
 * One attempt of one lead at one buyer, shared by every buyer route: number it, record it, build the
 * buyer's request, post it, classify what came back (or why nothing did), record the outcome, and
 * hand a technical failure to the calling buyer route's redelivery. It has no error handler of its
 * own: Camel redelivers at the step that failed, which is the buyer route's call of this route, so
 * a redelivery runs the whole attempt again.
 */
public final class DeliveryAttemptRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:delivery-attempt";

    @Override
    public void configure() {
        from(ENDPOINT).routeId("delivery-attempt")
                .errorHandler(noErrorHandler())
                .bean("attemptStart", "start").id("start-attempt")
                .bean("attemptEvents", "attempted").id("record-attempt")
                .doTry()
                    .bean("buyerRequests", "build").id("build-request")
                    .toD("${exchangeProperty." + ExchangeKeys.HTTP_URI + "}").id("post-to-buyer")
                .doCatch(Exception.class)
                    .bean("outcomeClassifier", "classifyFailure").id("classify-failure")
                .end()
                .filter(exchangeProperty(ExchangeKeys.OUTCOME).isNull())
                    .bean("outcomeClassifier", "classifyAnswer").id("classify-answer")
                .end()
                .bean("attemptEvents", "concluded").id("record-outcome")
                .filter(OutcomeClassifier::retryEligible)
                    .process(RetryableDeliveryException::raise).id("ask-for-redelivery")
                .end();
    }
}
