package io.leadrouter.routing;

import org.apache.camel.builder.RouteBuilder;

/**
 * The routing rules' sweep, every leadrouter.rules.sweep-ms: offers the leads held for buyers' hours to
 * the buyers that are open now, and settles what gone instances reserved ({@link OfferReservations#sweep()}).
 */
public final class BuyerRulesRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:buyer-rules-sweep?delay={{leadrouter.rules.sweep-ms}}&period={{leadrouter.rules.sweep-ms}}")
                .routeId("buyer-rules-sweep")
                .bean("offerReservations", "sweep").id("settle-abandoned-reservations")
                .bean("scheduledRelease", "releaseOpenBuyers").id("release-leads-held-for-hours");
    }
}
