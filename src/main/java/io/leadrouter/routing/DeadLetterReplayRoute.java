package io.leadrouter.routing;

import io.leadrouter.delivery.ExchangeKeys;
import org.apache.camel.builder.RouteBuilder;

/** Delivers replayed dead letters through the buyer's own route (its redelivery policy included). */
public final class DeadLetterReplayRoute extends RouteBuilder {

    @Override
    public void configure() {
        from(DeadLetterReplay.ENDPOINT + "?concurrentConsumers=2").routeId("dead-letter-replay")
                .setProperty(ExchangeKeys.LEAD, body()).id("take-replayed-lead")
                .process(LeadWalk::walkNoFurther).id("walk-to-this-buyer-only")
                .toD("seda:deliver-${exchangeProperty." + ExchangeKeys.BUYER_ID + "}?waitForTaskToComplete=Never&failIfNoConsumers=true")
                    .id("queue-replay-for-buyer");
    }
}
