package io.leadrouter.routing;

import io.leadrouter.model.Buyer;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.delivery.DeadLetters;
import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.model.Lead;
import io.leadrouter.intake.LeadStore;
import java.sql.SQLException;
import org.apache.camel.ProducerTemplate;

/** Sends a dead-lettered lead once more to the buyer it did not reach, with a fresh set of attempts. */
public final class DeadLetterReplay {

    /** How a replay request ended. */
    public enum Result { STARTED, NOT_FOUND, BUYER_GONE, SOLD }

    private final DeadLetters deadLetters;
    private final LeadStore leads;
    private final BuyerCatalog catalog;
    private final ProducerTemplate producer;
    private final LeadHistory history;

    public DeadLetterReplay(DeadLetters deadLetters, LeadStore leads, BuyerCatalog catalog, ProducerTemplate producer,
            LeadHistory history) {
        this.history = history;
        this.deadLetters = deadLetters;
        this.leads = leads;
        this.catalog = catalog;
        this.producer = producer;
    }

    public Result replay(long id) throws SQLException {
        var claimed = deadLetters.claimForReplay(id);
        if (claimed.isEmpty()) {
            return Result.NOT_FOUND;
        }
        DeadLetters.Pending pending = claimed.get();
        Lead lead = leads.find(pending.leadId()).orElse(null);
        Buyer buyer = catalog.find(pending.recipientId()).orElse(null);
        if (lead == null || buyer == null) {
            deadLetters.release(id);
            return Result.BUYER_GONE;
        }
        if (!history.pastOf(lead.leadId()).mayGoTo(buyer)) {
            // sold exclusively meanwhile, or the buyer is exclusive and someone else bought it
            deadLetters.release(id);
            return Result.SOLD;
        }
        producer.sendBodyAndProperty(OneBuyerRoute.ENDPOINT, lead, ExchangeKeys.BUYER_ID, pending.recipientId());
        return Result.STARTED;
    }
}
