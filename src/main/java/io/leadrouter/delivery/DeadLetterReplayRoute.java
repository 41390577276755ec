package io.leadrouter.delivery;

import org.apache.camel.builder.RouteBuilder;

/** Delivers replayed dead letters through the buyer's own route (its redelivery policy included). */
public final class DeadLetterReplayRoute extends RouteBuilder {

    @Override
    public void configure() {
        from(DeadLetterReplay.ENDPOINT + "?concurrentConsumers=2").routeId("dead-letter-replay")
                .setProperty(ExchangeKeys.LEAD, body())
                .toD("direct:deliver-${exchangeProperty." + ExchangeKeys.BUYER_ID + "}?timeout=5000");
    }
}
