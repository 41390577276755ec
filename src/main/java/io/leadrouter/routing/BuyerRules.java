package io.leadrouter.routing;

import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.model.Buyer;
import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.model.Lead;
import io.leadrouter.model.LeadFilter;
import io.leadrouter.model.RoutingRules;
import io.leadrouter.support.DatabaseOutage;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step {@code apply-buyer-rules} of every buyer route, once per offer (redeliveries do not pass it
 * again): whether the buyer takes this lead now, by its file's rules, in this order: accept_if,
 * schedule, suppression list, de-duplication, caps. A rule that says no records its decision
 * ({@link RoutingDecisions}) and the buyer is done with the lead without a call or an event; a
 * schedule that holds keeps the lead for when the buyer opens. What the offer reserved is kept or
 * given back once the buyer is done with the lead ({@link #settle}).
 */
public final class BuyerRules {

    private static final Logger LOG = LoggerFactory.getLogger(BuyerRules.class);

    /** Set when a rule said no: the buyer is not called. */
    public static final String SKIPPED = "leadRouterSkippedByRule";
    /** Set when the offer reserved a cap slot or claimed its consumer (see {@link OfferReservations}). */
    static final String RESERVED = "leadRouterReserved";
    /** On a held lead released to its buyer: since when it was held. */
    static final String HELD_SINCE = "leadRouterHeldSince";

    private final BuyerCatalog catalog;
    private final OfferReservations reservations;
    private final RoutingDecisions decisions;
    private final HeldLeads held;
    private final Clock clock;

    public BuyerRules(BuyerCatalog catalog, OfferReservations reservations, RoutingDecisions decisions, HeldLeads held, Clock clock) {
        this.catalog = catalog;
        this.reservations = reservations;
        this.decisions = decisions;
        this.held = held;
        this.clock = clock;
    }

    public void admit(Exchange exchange) throws SQLException {
        exchange.removeProperty(SKIPPED);
        exchange.removeProperty(RESERVED);
        String buyerId = exchange.getProperty(ExchangeKeys.BUYER_ID, String.class);
        Buyer buyer = catalog.find(buyerId).orElse(null);
        if (buyer == null) {
            return; // removed meanwhile: the attempt says so, as before
        }
        Lead lead = exchange.getProperty(ExchangeKeys.LEAD, Lead.class);
        RoutingRules rules = buyer.rules();
        Optional<LeadFilter.Refusal> filtered = rules.acceptIf().refusal(lead.payload());
        if (filtered.isPresent()) {
            skip(exchange, lead, buyerId, new RuleRefusal(RuleRefusal.FILTERED, filtered.get().rule(), filtered.get().why()));
            return;
        }
        Instant now = clock.instant();
        if (rules.schedule() != null && !outsideHoursAllows(exchange, lead, buyer, now)) {
            return;
        }
        if (reservations.needed(buyer)) {
            Optional<RuleRefusal> refusal = DatabaseOutage.waitOut("rules of lead " + lead.leadId() + " at " + buyerId,
                    exchange.getContext()::isStarted, () -> reservations.reserve(buyer, lead));
            if (refusal.isPresent()) {
                skip(exchange, lead, buyerId, refusal.get());
                return;
            }
            exchange.setProperty(RESERVED, true);
        }
    }

    /** Whether the buyer's hours let the lead through now; if not, skips or holds it. */
    private boolean outsideHoursAllows(Exchange exchange, Lead lead, Buyer buyer, Instant now) throws SQLException {
        RoutingRules.Schedule schedule = buyer.rules().schedule();
        ZonedDateTime local = now.atZone(buyer.rules().timeZone());
        Instant heldSince = exchange.getProperty(HELD_SINCE, Instant.class);
        boolean held = exchange.getProperty(ExchangeKeys.RELEASED_TO) != null && heldSince != null;
        if (held && schedule.outsideHours() == RoutingRules.OutsideHours.HOLD
                && Duration.between(heldSince, now).toMinutes() >= schedule.maxHoldMinutes()) {
            skip(exchange, lead, buyer.id(), new RuleRefusal(RuleRefusal.HOLD_EXPIRED, "schedule.max_hold_minutes",
                    "held since " + heldSince + ", longer than the buyer's " + schedule.maxHoldMinutes() + " minutes"));
            return false;
        }
        if (schedule.isOpen(local)) {
            return true;
        }
        String closed = "the buyer is closed at " + local.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " "
                + local.toLocalTime().withNano(0) + " (" + buyer.rules().timeZone() + ")";
        if (schedule.outsideHours() == RoutingRules.OutsideHours.SKIP) {
            skip(exchange, lead, buyer.id(), new RuleRefusal(RuleRefusal.OUTSIDE_HOURS, "schedule", closed));
            return false;
        }
        this.held.holdFor(exchange, HeldLeads.HeldFor.SCHEDULE);
        if (!held) {
            record(exchange, lead, buyer.id(), new RuleRefusal(RuleRefusal.HELD_FOR_HOURS, "schedule",
                    closed + "; held, offered when it opens, for up to " + schedule.maxHoldMinutes() + " minutes"));
        }
        exchange.setProperty(SKIPPED, true);
        return false;
    }

    /**
     * After the buyer is done with the lead (route next-buyer): what the offer reserved stays taken if
     * the buyer bought the lead, and is given back otherwise (refused, failed, dead-lettered or held).
     */
    public void settle(Exchange exchange) throws SQLException {
        if (exchange.removeProperty(RESERVED) == null) {
            return;
        }
        String buyerId = exchange.getProperty(ExchangeKeys.BUYER_ID, String.class);
        Lead lead = exchange.getProperty(ExchangeKeys.LEAD, Lead.class);
        String leadId = lead.leadId();
        // the buyer as it was offered the lead: its file may have changed or gone since
        Buyer offeredTo = catalog.find(buyerId).orElse(exchange.getProperty(LeadWalk.OFFERED_TO, Buyer.class));
        DeliveryOutcome outcome = exchange.getProperty(ExchangeKeys.OUTCOME, DeliveryOutcome.class);
        boolean bought = outcome != null && outcome.accepted() && !exchange.getProperty(ExchangeKeys.HELD, false, Boolean.class);
        DatabaseOutage.waitOut("settling the offer of lead " + leadId + " to " + buyerId, exchange.getContext()::isStarted, () -> {
            if (bought && offeredTo != null) {
                reservations.sold(offeredTo, lead);
            } else if (bought) {
                reservations.markSold(buyerId, leadId);
            } else {
                reservations.release(buyerId, leadId);
            }
            return null;
        });
    }

    private void skip(Exchange exchange, Lead lead, String buyerId, RuleRefusal refusal) throws SQLException {
        record(exchange, lead, buyerId, refusal);
        exchange.setProperty(SKIPPED, true);
    }

    private void record(Exchange exchange, Lead lead, String buyerId, RuleRefusal refusal) throws SQLException {
        LOG.debug("Lead {} not offered to buyer {}: {} ({})", lead.leadId(), buyerId, refusal.rule(), refusal.decision());
        DatabaseOutage.waitOut("decision on lead " + lead.leadId() + " at " + buyerId, exchange.getContext()::isStarted, () -> {
            decisions.record(lead.leadId(), buyerId, refusal);
            return null;
        });
    }
}
