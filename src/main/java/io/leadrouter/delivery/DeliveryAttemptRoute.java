package io.leadrouter.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * One attempt of one lead at one buyer, shared by every buyer route. A buyer that answered 410 Gone
 * (GoneBuyers) is skipped: the lead goes on to its next buyer without a call. Then the buyer's circuit
 * decides (io.leadrouter.circuit.BuyerCircuits): while it is open or paused the lead is held
 * (io.leadrouter.routing.HeldLeads) and the buyer is not called; a buyer on probation with its
 * allowance of calls under way makes the lead wait (BuyerOnProbationException), and so does a buyer whose
 * rate_limit.per_second is used up (CallRateLimit). Otherwise: number the attempt,
 * record it, build the buyer's request, post it (or, for a buyer with {@code integration: route}, run its
 * own route, {@link BuyerRouteInput}), classify what came back (or why nothing did),
 * record the outcome, tell the circuit (and GoneBuyers of a 410), and hand a technical failure, with
 * its delay (RetryDelay), to the calling buyer route's redelivery. Neither route has an error handler
 * of its own: Camel redelivers at the step that failed, which is the buyer route's call of this route, so a redelivery asks the circuit again
 * and runs the whole attempt again.
 */
public final class DeliveryAttemptRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:delivery-attempt";
    private static final String GATES = "direct:delivery-gates";
    private static final String CALL = "direct:call-buyer";
    private static final String CALL_STEPS = "direct:call-buyer-steps";

    @Override
    public void configure() {
        from(ENDPOINT).routeId("delivery-attempt")
                .errorHandler(noErrorHandler())
                // a delay set for an earlier failure (even at an earlier buyer) must not time the next wait
                .removeHeader(Exchange.REDELIVERY_DELAY).id("forget-retry-delay")
                .choice().id("call-or-skip")
                    .when(method("goneBuyers", "leadsBuyerIsGone"))
                        .log(LoggingLevel.INFO, "Lead ${exchangeProperty." + ExchangeKeys.LEAD + ".leadId} not sent to buyer ${exchangeProperty."
                                + ExchangeKeys.BUYER_ID + "}: it answered 410 Gone; the lead goes on to its next buyer").id("skip-gone-buyer")
                    .otherwise()
                        .to(GATES).id("attempt-through-gates")
                .end();

        from(GATES).routeId("delivery-gates")
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
                    // every call counts against rate_limit.per_second, retries included; a full second defers the call
                    .bean("callRateLimit", "admit").id("ask-rate-limit")
                    .to(CALL_STEPS).id("attempt-steps")
                .doFinally()
                    // however the attempt ended: the circuit counts the calls under way of a buyer on probation,
                    // and the rate limit's slot counts from now
                    .bean("buyerCircuits", "callEnded").id("end-call")
                    .bean("callRateLimit", "ended").id("end-rate-limited-call")
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
                .bean("goneBuyers", "observe").id("tell-gone-buyers")
                .filter(OutcomeClassifier::retryEligible)
                    .bean("retryDelay", "set").id("set-retry-delay")
                    .process(RetryableDeliveryException::raise).id("ask-for-redelivery")
                .end();
    }
}
