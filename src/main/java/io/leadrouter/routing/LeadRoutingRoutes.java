package io.leadrouter.routing;

import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.intake.LeadDispatcher;
import org.apache.camel.builder.RouteBuilder;

/**
 * Routes each stored lead through its buyers in priority order ({@link BuyerQueue}), one buyer
 * route after another; redelivery waits are asynchronous, so a lead waiting on a retry holds no
 * thread. At startup, leads left unfinished by a previous run are routed again.
 */
public final class LeadRoutingRoutes extends RouteBuilder {

    /** Started by {@link io.leadrouter.buyers.InitialBuyerScan} once the buyers are loaded. */
    public static final String ROUTE_ID = "lead-routing";

    @Override
    public void configure() {
        from(LeadDispatcher.ENDPOINT + "?concurrentConsumers={{leadrouter.routing.concurrency}}&size=100000&blockWhenFull=true")
                .routeId(ROUTE_ID).autoStartup(false)
                .bean("leadWalk", "plan")
                .loopDoWhile(exchangeProperty(ExchangeKeys.BUYER_ID).isNotNull())
                    .doTry()
                        // enrich, not toD: the buyer route's dead-letter channel marks its exchange as handled,
                        // which would stop this route (no next buyer, lead never completed). The buyer
                        // route works on a copy; only its outcome is brought back.
                        .enrich().simple("direct:deliver-${exchangeProperty." + ExchangeKeys.BUYER_ID + "}?timeout=5000")
                            .aggregationStrategy((lead, delivered) -> {
                                lead.setProperty(ExchangeKeys.OUTCOME, delivered.getProperty(ExchangeKeys.OUTCOME));
                                return lead;
                            })
                    .endDoTry()
                    .doCatch(org.apache.camel.component.direct.DirectConsumerNotAvailableException.class)
                        .log("Buyer ${exchangeProperty." + ExchangeKeys.BUYER_ID + "} was removed before lead could be offered to it")
                    .end()
                    .bean("leadWalk", "afterDelivery")
                .end()
                .bean("leadWalk", "complete");

        from("timer:lead-recovery?repeatCount=1&delay={{leadrouter.recovery.delay-ms:3000}}")
                .routeId("lead-recovery")
                .bean("leadStore", "leftUnfinished(10000)")
                .split(body())
                    .setProperty(LeadWalk.RECOVERED, constant(true))
                    .log("Resuming lead ${body.leadId()} left unfinished by an earlier run")
                    .to(LeadDispatcher.ENDPOINT)
                .end();
    }
}
