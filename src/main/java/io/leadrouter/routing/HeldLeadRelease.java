package io.leadrouter.routing;

import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.model.Buyer;
import java.sql.SQLException;
import java.time.Instant;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a buyer's held leads to it once its circuit is closed, in the order they were held, each
 * through the buyer's own route ({@link OneBuyerRoute}) with a fresh set of attempts. A lead that
 * was sold meanwhile in a way that bars this buyer (an exclusive sale, or this buyer is exclusive
 * and someone bought the lead) is withdrawn instead: logged, and its row goes.
 */
public final class HeldLeadRelease {

    private static final Logger LOG = LoggerFactory.getLogger(HeldLeadRelease.class);

    private final HeldLeads held;
    private final BuyerCatalog catalog;
    private final LeadHistory history;
    private final ProducerTemplate producer;

    public HeldLeadRelease(HeldLeads held, BuyerCatalog catalog, LeadHistory history, ProducerTemplate producer) {
        this.held = held;
        this.catalog = catalog;
        this.history = history;
        this.producer = producer;
    }

    /** Releases up to {@code limit} of the leads the buyer's circuit held; answers how many went to it. */
    public int release(String buyerId, int limit) throws SQLException {
        return release(buyerId, limit, HeldLeads.HeldFor.CIRCUIT, null);
    }

    /**
     * Releases up to {@code limit} of the buyer's leads held for this reason (only those held before
     * {@code heldBefore}, unless null); answers how many went to it.
     */
    public int release(String buyerId, int limit, HeldLeads.HeldFor reason, Instant heldBefore) throws SQLException {
        Buyer buyer = catalog.find(buyerId).orElse(null);
        if (buyer == null) {
            return 0; // removed: its held leads wait in case its file comes back
        }
        int sent = 0;
        for (HeldLeads.Released lead : held.claim(buyerId, limit, reason, heldBefore)) {
            if (!history.pastOf(lead.lead().leadId()).mayGoTo(buyer)) {
                LOG.info("Held lead {} withdrawn from buyer {}: sold meanwhile, and this buyer may not have it now",
                        lead.lead().leadId(), buyerId);
                held.finished(lead.lead().leadId(), buyerId);
                continue;
            }
            producer.send(OneBuyerRoute.ENDPOINT, exchange -> {
                exchange.getMessage().setBody(lead.lead());
                exchange.setProperty(ExchangeKeys.BUYER_ID, buyerId);
                exchange.setProperty(ExchangeKeys.RELEASED_TO, buyerId);
                exchange.setProperty(BuyerRules.HELD_SINCE, lead.heldAt());
            });
            sent++;
        }
        return sent;
    }
}
