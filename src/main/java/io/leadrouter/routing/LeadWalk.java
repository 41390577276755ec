package io.leadrouter.routing;

import io.leadrouter.model.Buyer;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.delivery.GoneBuyers;
import io.leadrouter.model.Lead;
import io.leadrouter.intake.LeadCompletions;
import io.leadrouter.support.DatabaseOutage;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.support.ExpressionAdapter;

/** The steps of the walk of a lead through its buyers: plan, offer wave by wave, finish. */
public final class LeadWalk {

    /** The {@link Wave} of buyers the lead is offered to now. */
    static final String WAVE = "leadRouterWave";
    /** Set once every buyer of the current wave is done with the lead. */
    static final String WAVE_DONE = "leadRouterWaveDone";
    /** The lead's {@link WavePlan}: the buyers still to offer it to, and whether it is sold. */
    static final String PLAN = "leadRouterWavePlan";
    /** The buyer as it was when this copy of the lead was offered to it. */
    static final String OFFERED_TO = "leadRouterOfferedTo";

    private final LeadHistory history;
    private final BuyerCatalog catalog;
    private final LeadCompletions completions;
    private final HeldLeads held;
    private final GoneBuyers gone;
    private final RoutingDecisions decisions;

    public LeadWalk(LeadHistory history, BuyerCatalog catalog, LeadCompletions completions, HeldLeads held, GoneBuyers gone,
            RoutingDecisions decisions) {
        this.decisions = decisions;
        this.history = history;
        this.catalog = catalog;
        this.completions = completions;
        this.held = held;
        this.gone = gone;
    }

    public void plan(Exchange exchange) throws SQLException {
        Lead lead = exchange.getMessage().getBody(Lead.class);
        exchange.setProperty(ExchangeKeys.LEAD, lead);
        boolean recovered = exchange.getProperty(ExchangeKeys.RECOVERED, false, Boolean.class);
        // a resumed lead's history is read while the router runs, waiting out the database if need be:
        // failing here would strand the lead (its owner, this instance, is still present) until the next start
        WavePlan plan = recovered
                ? DatabaseOutage.waitOut("history of lead " + lead.leadId(), exchange.getContext()::isStarted,
                        () -> history.planFor(lead.leadId()))
                : history.planForNewLead();
        exchange.setProperty(PLAN, plan);
        advance(exchange);
    }

    /** A walk that offers the lead to nobody more (a replayed dead letter goes to its one buyer only). */
    public static void walkNoFurther(Exchange exchange) {
        exchange.setProperty(PLAN, new WavePlan(List.of(), Set.of(), false, false));
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
            exchange.getProperty(PLAN, WavePlan.class).accepted(offeredTo);
        }
        exchange.setException(null);
        Wave wave = exchange.getProperty(WAVE, Wave.class);
        exchange.setProperty(WAVE_DONE, wave == null || wave.finishOne());
    }

    /** Plans the next wave (empty when the walk is over). */
    public void advance(Exchange exchange) throws SQLException {
        exchange.removeProperty(ExchangeKeys.OUTCOME);
        exchange.removeProperty(OFFERED_TO);
        exchange.removeProperty(ExchangeKeys.BUYER_ID);
        WavePlan plan = exchange.getProperty(PLAN, WavePlan.class);
        List<Buyer> wave = plan.nextWave();
        List<Buyer> offered = offerable(exchange, wave);
        while (!wave.isEmpty() && offered.isEmpty()) {
            wave = plan.nextWave();
            offered = offerable(exchange, wave);
        }
        exchange.setProperty(WAVE, new Wave(offered));
    }

    /**
     * The buyers of the wave the lead may be offered to. A buyer removed since the lead was planned is
     * skipped: its route is gone, and offering to it would block. So is a buyer that answered 410 Gone
     * (until its file changes), with the decision recorded for GET /leads/{id}.
     */
    private List<Buyer> offerable(Exchange exchange, List<Buyer> wave) throws SQLException {
        List<Buyer> offerable = new ArrayList<>();
        for (Buyer buyer : wave) {
            if (catalog.find(buyer.id()).isEmpty()) {
                continue;
            }
            Optional<GoneBuyers.Gone> answered410 = gone.gone(buyer.id());
            if (answered410.isEmpty()) {
                offerable.add(buyer);
            } else if (decisions != null) {
                String leadId = exchange.getProperty(ExchangeKeys.LEAD, Lead.class).leadId();
                RuleRefusal refusal = new RuleRefusal(RuleRefusal.GONE, "gone", "the buyer answered 410 Gone at "
                        + answered410.get().since() + " (lead " + answered410.get().leadId() + "): no leads until its file changes");
                DatabaseOutage.waitOut("decision on lead " + leadId + " at " + buyer.id(), exchange.getContext()::isStarted, () -> {
                    decisions.record(leadId, buyer.id(), refusal);
                    return null;
                });
            }
        }
        return offerable;
    }

    /** The walk is over: the planned wave has nobody in it. */
    static boolean waveIsEmpty(Exchange exchange) {
        return exchange.getProperty(WAVE, Wave.class).isEmpty();
    }

    /**
     * The buyers of the planned wave, one split copy of the exchange each. Read in Java rather than with
     * a simple-language call chain, which Camel would look up by reflection for every lead.
     */
    static final Expression BUYERS_OF_WAVE = new ExpressionAdapter() {
        @Override
        public Object evaluate(Exchange exchange) {
            return exchange.getProperty(WAVE, Wave.class).buyers();
        }

        @Override
        public String toString() {
            return "buyers of the wave";
        }
    };

    /**
     * The walk is over. For a held lead released to its buyer the lead's own walk was over
     * before: only the held row goes, once the buyer is done with it (not when it was held again).
     */
    public void complete(Exchange exchange) throws SQLException {
        String leadId = exchange.getProperty(ExchangeKeys.LEAD, Lead.class).leadId();
        String releasedTo = exchange.getProperty(ExchangeKeys.RELEASED_TO, String.class);
        if (releasedTo == null) {
            completions.markComplete(leadId);
        } else if (!exchange.getProperty(ExchangeKeys.HELD, false, Boolean.class)) {
            DatabaseOutage.waitOut("release of lead " + leadId, exchange.getContext()::isStarted, () -> {
                held.finished(leadId, releasedTo);
                return null;
            });
        }
    }

}
