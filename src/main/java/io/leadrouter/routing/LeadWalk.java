package io.leadrouter.routing;

import io.leadrouter.buyers.Buyer;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.delivery.DeliveryOutcome;
import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.intake.Lead;
import io.leadrouter.intake.LeadCompletions;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;

/** The steps of the walk of a lead through its buyers: plan, move to the next one, finish. */
public final class LeadWalk {

    /** Set on leads picked up again after a restart, whose history must be read first. */
    public static final String RECOVERED = "leadRouterRecovered";
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
        boolean recovered = exchange.getProperty(RECOVERED, false, Boolean.class);
        BuyerQueue queue = recovered ? history.queueFor(lead.leadId()) : history.queueForNewLead();
        exchange.setProperty(QUEUE, queue);
        advance(exchange, queue);
    }

    /** A walk that offers the lead to nobody more (a replayed dead letter goes to its one buyer only). */
    public static void walkNoFurther(Exchange exchange) {
        exchange.setProperty(QUEUE, new BuyerQueue(List.of(), Set.of(), false, false));
    }

    /** After a buyer was done with the lead: note a sale, then pick the next buyer (or none). */
    public void afterDelivery(Exchange exchange) {
        BuyerQueue queue = exchange.getProperty(QUEUE, BuyerQueue.class);
        DeliveryOutcome outcome = exchange.getProperty(ExchangeKeys.OUTCOME, DeliveryOutcome.class);
        // the buyer as it was when offered the lead: an edit or removal since cannot undo an exclusive sale
        Buyer offeredTo = exchange.getProperty(OFFERED_TO, Buyer.class);
        if (outcome != null && outcome.accepted() && offeredTo != null) {
            queue.accepted(offeredTo);
        }
        exchange.setException(null);
        advance(exchange, queue);
    }

    public void complete(Exchange exchange) {
        completions.markComplete(exchange.getProperty(ExchangeKeys.LEAD, Lead.class).leadId());
    }

    private void advance(Exchange exchange, BuyerQueue queue) {
        exchange.removeProperty(ExchangeKeys.OUTCOME);
        Optional<Buyer> next = queue.next();
        // a buyer removed since the lead was planned is skipped: its route is gone, and calling it would block
        while (next.isPresent() && catalog.find(next.get().id()).isEmpty()) {
            next = queue.next();
        }
        exchange.setProperty(ExchangeKeys.BUYER_ID, next.map(Buyer::id).orElse(null));
        exchange.setProperty(OFFERED_TO, next.orElse(null));
    }
}
