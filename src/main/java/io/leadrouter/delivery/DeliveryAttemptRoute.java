package io.leadrouter.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * One attempt of one lead at one buyer, shared by every buyer route. It has no error handler of
 * its own: a failure propagates to the calling buyer route, whose redelivery policy then runs this
 * whole route again (Camel redelivers at the step that failed, which is the call of this route).
 */
public final class DeliveryAttemptRoute extends RouteBuilder {

    public static final String ENDPOINT = "direct:delivery-attempt";

    @Override
    public void configure() {
        from(ENDPOINT).routeId("delivery-attempt")
                .errorHandler(noErrorHandler())
                .process("attemptPreparer")
                .filter(exchangeProperty(Exchange.EXCEPTION_CAUGHT).isNull())
                    .doTry()
                        .toD("${exchangeProperty." + ExchangeKeys.HTTP_URI + "}")
                    .doCatch(Exception.class)
                        .log(LoggingLevel.DEBUG, "No answer from ${exchangeProperty.leadRouterBuyerId}: ${exception.message}")
                    .end()
                .end()
                .process("attemptConcluder");
    }
}
