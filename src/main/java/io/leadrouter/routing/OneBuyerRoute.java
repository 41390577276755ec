package io.leadrouter.routing;

import io.leadrouter.delivery.ExchangeKeys;
import org.apache.camel.builder.RouteBuilder;

/**
 * Delivers a lead to one buyer only, through that buyer's own route (its redelivery policy
 * included): a replayed dead letter, or a lead its circuit held and now releases.
 */
public final class OneBuyerRoute extends RouteBuilder {

    /** Takes the lead as body and the buyer's id as property {@link ExchangeKeys#BUYER_ID}. */
    public static final String ENDPOINT = "seda:to-one-buyer";

    @Override
    public void configure() {
        from(ENDPOINT + "?concurrentConsumers=2").routeId("to-one-buyer")
                .setProperty(ExchangeKeys.LEAD, body()).id("take-lead-for-one-buyer")
                .process(LeadWalk::walkNoFurther).id("walk-to-this-buyer-only")
                .toD("seda:deliver-${exchangeProperty." + ExchangeKeys.BUYER_ID + "}?waitForTaskToComplete=Never&failIfNoConsumers=true")
                    .id("queue-for-the-buyer");
    }
}
