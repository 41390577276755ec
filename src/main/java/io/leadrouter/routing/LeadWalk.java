package io.leadrouter.routing;

import io.leadrouter.model.Buyer;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.model.Lead;
import io.leadrouter.intake.LeadCompletions;
import io.leadrouter.support.DatabaseOutage;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;

/** The steps of the walk of a lead through its buyers: plan, offer wave by wave, finish. */
public final class LeadWalk {

    /** Set on leads picked up again after a restart, whose history must be read first. */
    /** The {@link Wave} of buyers the lead is offered to now. */
    static final String WAVE = "leadRouterWave";
    /** Set once every buyer of the current wave is done with the lead. */
    static final String WAVE_DONE = "leadRouterWaveDone";
    static final String QUEUE = "leadRouterBuyerQueue";
    static final String OFFERED_TO = "leadRouterOfferedTo";

    private final LeadHistory history;
    private final BuyerCatalog catalog;
    private final LeadCompletions completions;

    public LeadWalk(LeadHistory history, BuyerCatalog catalog, LeadCompletions completions) {
        this.history = history;
        this.catalog = catalog;
        this.completions = completions;
    }

    public void plan(Exchange exchange) throws SQLException {
        Lead lead = exchange.getMessage().getBody(Lead.class);
        exchange.setProperty(ExchangeKeys.LEAD, lead);
        boolean recovered = exchange.getProperty(ExchangeKeys.RECOVERED, false, Boolean.class);
        // a resumed lead's history is read while the router runs, waiting out the database if need be:
        // failing here would strand the lead (its owner, this instance, is still present) until the next start
        BuyerQueue queue = recovered
                ? DatabaseOutage.waitOut("history of lead " + lead.leadId(), exchange.getContext()::isStarted,
                        () -> history.queueFor(lead.leadId()))
                : history.queueForNewLead();
        exchange.setProperty(QUEUE, queue);
        advance(exchange);
    }

    /** A walk that offers the lead to nobody more (a replayed dead letter goes to its one buyer only). */
    public static void walkNoFurther(Exchange exchange) {
        exchange.setProperty(QUEUE, new BuyerQueue(List.of(), Set.of(), false, false));
    }

    /** Before the lead is handed to one buyer of the wave (this exchange is that buyer's copy). */
    public static void offerTo(Exchange exchange) {
        Buyer buyer = exchange.getMessage().getBody(Buyer.class);
        exchange.setProperty(ExchangeKeys.BUYER_ID, buyer.id());
        // the buyer as it is now: an edit or removal later cannot undo an exclusive sale
        exchange.setProperty(OFFERED_TO, buyer);
        exchange.getMessage().setBody(exchange.getProperty(ExchangeKeys.LEAD));
    }

    /** After one buyer was done with the lead: note a sale, and whether the whole wave is done. */
    public void afterDelivery(Exchange exchange) {
        DeliveryOutcome outcome = exchange.getProperty(ExchangeKeys.OUTCOME, DeliveryOutcome.class);
        Buyer offeredTo = exchange.getProperty(OFFERED_TO, Buyer.class);
        if (outcome != null && outcome.accepted() && offeredTo != null) {
            exchange.getProperty(QUEUE, BuyerQueue.class).accepted(offeredTo);
        }
        exchange.setException(null);
        Wave wave = exchange.getProperty(WAVE, Wave.class);
        exchange.setProperty(WAVE_DONE, wave == null || wave.finishOne());
    }

    /** Plans the next wave (empty when the walk is over). */
    public void advance(Exchange exchange) {
        exchange.removeProperty(ExchangeKeys.OUTCOME);
        exchange.removeProperty(OFFERED_TO);
        exchange.removeProperty(ExchangeKeys.BUYER_ID);
        BuyerQueue queue = exchange.getProperty(QUEUE, BuyerQueue.class);
        List<Buyer> wave = queue.nextWave();
        // a buyer removed since the lead was planned is skipped: its route is gone, and offering to it would block
        while (!wave.isEmpty() && wave.stream().noneMatch(this::stillInstalled)) {
            wave = queue.nextWave();
        }
        exchange.setProperty(WAVE, new Wave(wave.stream().filter(this::stillInstalled).toList()));
    }

    public void complete(Exchange exchange) {
        completions.markComplete(exchange.getProperty(ExchangeKeys.LEAD, Lead.class).leadId());
    }

    private boolean stillInstalled(Buyer buyer) {
        return catalog.find(buyer.id()).isPresent();
    }
}
