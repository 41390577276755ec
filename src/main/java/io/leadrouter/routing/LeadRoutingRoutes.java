package io.leadrouter.routing;

import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.intake.LeadDispatcher;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.seda.SedaConsumerNotAvailableException;

/**
 * Walks each stored lead through its buyers in priority order, wave by wave ({@link WavePlan}),
 * handing it from route to route without holding a thread in between: the lead is queued to each
 * buyer's own route ({@code seda:deliver-<id>}, whose consumers are that buyer's bulkhead), and
 * when that buyer is done with it (delivered, refused, or dead-lettered) it comes back through
 * {@link #NEXT_BUYER}; once the whole wave is back, the next wave is offered. A slow buyer
 * therefore ties up only its own threads and does not hold up the other buyers of its wave. Leads
 * left unfinished by a router instance that is gone (this machine's previous run, or another
 * instance that stopped or crashed) are claimed and walked again ({@link OrphanedLeads}).
 */
public final class LeadRoutingRoutes extends RouteBuilder {

    /** Started by {@link io.leadrouter.buyers.InitialBuyerScan} once the buyers are loaded. */
    public static final String ROUTE_ID = "lead-routing";
    /** Where a buyer route hands the lead back once it is done with it. */
    public static final String NEXT_BUYER = "seda:next-buyer";

    private static final String QUEUE_OPTIONS = "?concurrentConsumers={{leadrouter.routing.concurrency}}&size=100000&blockWhenFull=true";

    @Override
    public void configure() {
        from(LeadDispatcher.ENDPOINT + QUEUE_OPTIONS).routeId(ROUTE_ID).autoStartup(false)
                .bean("leadWalk", "plan").id("plan-walk")
                .to("direct:offer-to-buyers").id("offer-first-wave");

        from(NEXT_BUYER + QUEUE_OPTIONS).routeId("next-buyer")
                .bean("buyerRules", "settle").id("keep-or-give-back-reservations")
                .bean("leadWalk", "afterDelivery").id("note-buyer-done")
                // the last buyer of the wave to finish carries the walk on; the other copies end here
                .filter(exchangeProperty(LeadWalk.WAVE_DONE)).id("wave-done")
                    .bean("leadWalk", "advance").id("plan-next-wave")
                    .to("direct:offer-to-buyers").id("offer-next-wave");

        from("direct:offer-to-buyers").routeId("offer-to-buyers")
                .choice()
                    .when(LeadWalk::waveIsEmpty)
                        .bean("leadWalk", "complete").id("complete-lead")
                    .otherwise()
                        // each buyer of the wave gets its own copy of the exchange
                        .split(LeadWalk.BUYERS_OF_WAVE)
                            .process(LeadWalk::offerTo).id("hand-lead-to-buyer")
                            .doTry()
                                .toD("seda:deliver-${exchangeProperty." + ExchangeKeys.BUYER_ID + "}"
                                        + "?waitForTaskToComplete=Never&failIfNoConsumers=true").id("queue-for-buyer")
                            .doCatch(SedaConsumerNotAvailableException.class)
                                // removed between the plan and now: this buyer is done with the lead
                                .to(NEXT_BUYER).id("buyer-gone")
                            .end()
                        .end()
                .end();

        from("timer:lead-recovery?delay={{leadrouter.recovery.delay-ms}}&period={{leadrouter.recovery.period-ms}}")
                .routeId("lead-recovery")
                .bean("orphanedLeads", "claim({{leadrouter.recovery.max-per-sweep}})").id("claim-orphaned-leads")
                .split(body())
                    .setProperty(ExchangeKeys.RECOVERED, constant(true))
                    .log(LoggingLevel.DEBUG, "Resuming lead ${body.leadId()} left unfinished by a router instance gone")
                    .to(LeadDispatcher.ENDPOINT).id("walk-again")
                .end();
    }
}
