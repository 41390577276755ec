package io.leadrouter.delivery;

import org.apache.camel.builder.RouteBuilder;

/**
 * One attempt of one lead at one buyer, shared by every buyer route. First the buyer's circuit
 * decides (io.leadrouter.circuit.BuyerCircuits): while it is open or paused the lead is held
 * (io.leadrouter.routing.HeldLeads) and the buyer is not called; a buyer on probation with its
 * allowance of calls under way makes the lead wait (BuyerOnProbationException). Otherwise: number the attempt,
 * record it, build the buyer's request, post it (or, for a buyer with {@code integration: route}, run its
 * own route, {@link BuyerRouteInput}), classify what came back (or why nothing did),
 * record the outcome, tell the circuit, and hand a technical failure to the calling buyer route's
 * redelivery. Neither route has an error handler of its own: Camel redelivers at the step that
 * failed, which is the buyer route's call of this route, so a redelivery asks the circuit again
 * and runs the whole attempt again.
 */
public final class DeliveryAttemptRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:delivery-attempt";
    private static final String CALL = "direct:call-buyer";
    private static final String CALL_STEPS = "direct:call-buyer-steps";

    @Override
    public void configure() {
        from(ENDPOINT).routeId("delivery-attempt")
                .errorHandler(noErrorHandler())
                .bean("buyerCircuits", "admit").id("ask-circuit")
                .choice().id("call-or-hold")
                    .when(exchangeProperty(ExchangeKeys.HELD_BY_CIRCUIT).isEqualTo(true))
                        .bean("heldLeads", "hold").id("hold-lead")
                    .otherwise()
                        .to(CALL).id("attempt-call")
                .end();

        from(CALL).routeId("call-buyer")
                .errorHandler(noErrorHandler())
                .doTry()
                    .to(CALL_STEPS).id("attempt-steps")
                .doFinally()
                    // however the attempt ended: the circuit counts the calls under way of a buyer on probation
                    .bean("buyerCircuits", "callEnded").id("end-call")
                .end();

        from(CALL_STEPS).routeId("call-buyer-steps")
                .errorHandler(noErrorHandler())
                .bean("attemptStart", "start").id("start-attempt")
                .bean("attemptEvents", "attempted").id("record-attempt")
                .doTry()
                    .bean("buyerRequests", "build").id("build-request")
                    .choice().id("post-or-run-buyer-route")
                        // integration: route — the buyer's own YAML route sends the request its way and leaves the answer
                        .when(exchangeProperty(ExchangeKeys.BUYER_ROUTE).isNotNull())
                            .toD("${exchangeProperty." + ExchangeKeys.BUYER_ROUTE + "}").id("run-buyer-route")
                        .otherwise()
                            .toD("${exchangeProperty." + ExchangeKeys.HTTP_URI + "}").id("post-to-buyer")
                    .end()
                .endDoTry()
                .doCatch(Exception.class)
                    .bean("outcomeClassifier", "classifyFailure").id("classify-failure")
                .end()
                .filter(exchangeProperty(ExchangeKeys.OUTCOME).isNull())
                    .bean("outcomeClassifier", "classifyAnswer").id("classify-answer")
                .end()
                .process(BuyerRouteInput::forget).id("forget-route-input")
                .bean("attemptEvents", "concluded").id("record-outcome")
                .bean("buyerCircuits", "observe").id("tell-circuit")
                .filter(OutcomeClassifier::retryEligible)
                    .process(RetryableDeliveryException::raise).id("ask-for-redelivery")
                .end();
    }
}
