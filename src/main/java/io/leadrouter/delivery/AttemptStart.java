package io.leadrouter.delivery;

import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.events.EventStore;
import io.leadrouter.model.Buyer;
import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.model.Lead;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;

/**
 * Step {@code start-attempt}: works out which attempt of the lead at its buyer this is, and clears
 * the message for the buyer's request.
 *
 * <p>The attempt number counts the attempts recorded, not Camel's redeliveries: a redelivery after
 * a database outage (nothing recorded, the buyer not called) takes no number, and a lead resumed
 * after a crash or a stop goes on from the last number recorded for it at this buyer.
 */
public final class AttemptStart {

    /** How many attempts of this lead at this buyer are recorded; reset when a buyer route takes the lead. */
    public static final String ATTEMPTS_RECORDED = "leadRouterAttemptsRecorded";

    private final BuyerCatalog catalog;
    private final EventStore history;
    private final Clock clock;

    public AttemptStart(BuyerCatalog catalog, EventStore history, Clock clock) {
        this.catalog = catalog;
        this.history = history;
        this.clock = clock;
    }

    /** @throws AttemptsUsedUpException when a resumed lead's attempts at this buyer were all made before */
    public void start(Exchange exchange) throws SQLException, AttemptsUsedUpException {
        Lead lead = exchange.getProperty(ExchangeKeys.LEAD, Lead.class);
        String buyerId = exchange.getProperty(ExchangeKeys.BUYER_ID, String.class);
        Buyer buyer = catalog.find(buyerId)
                .orElseThrow(() -> new IllegalStateException("buyer " + buyerId + " was removed"));
        int recorded = attemptsRecorded(exchange, lead, buyerId);
        Instant now = clock.instant();
        Instant firstAttemptAt = exchange.getProperty(ExchangeKeys.FIRST_ATTEMPT_AT, now, Instant.class);
        exchange.setProperty(ExchangeKeys.FIRST_ATTEMPT_AT, firstAttemptAt);
        DeliveryAttempt attempt = new DeliveryAttempt(lead, buyer, recorded + 1, firstAttemptAt, now);
        if (attempt.attemptNumber() > attempt.totalAttempts()) {
            DeliveryAttempt last = new DeliveryAttempt(lead, buyer, recorded, firstAttemptAt, now);
            exchange.setProperty(ExchangeKeys.ATTEMPT, last);
            throw new AttemptsUsedUpException(last);
        }
        exchange.setProperty(ExchangeKeys.ATTEMPT, attempt);
        exchange.removeProperty(ExchangeKeys.OUTCOME);
        exchange.removeProperty(ExchangeKeys.RETRY_AFTER);
        exchange.removeProperty(RequestSecrets.KEY);
        exchange.removeProperty(SentRequest.KEY);
        // Clean slate for the request, but Camel's redelivery bookkeeping must survive: the error
        // handler counts attempts (and computes the backoff) from these headers.
        exchange.getMessage().removeHeaders("*", Exchange.REDELIVERY_COUNTER, Exchange.REDELIVERED, Exchange.REDELIVERY_MAX_COUNTER);
        exchange.getMessage().setBody(null);
    }

    /** Called once the attempt is recorded: the next attempt (a redelivery) takes the next number. */
    static void counted(Exchange exchange, DeliveryAttempt attempt) {
        exchange.setProperty(ATTEMPTS_RECORDED, attempt.attemptNumber());
    }

    /** Only a resumed lead can have attempts recorded before its buyer route took it; only then is the table read. */
    private int attemptsRecorded(Exchange exchange, Lead lead, String buyerId) throws SQLException {
        Integer recorded = exchange.getProperty(ATTEMPTS_RECORDED, Integer.class);
        if (recorded == null) {
            boolean resumed = exchange.getProperty(ExchangeKeys.RECOVERED, false, Boolean.class);
            recorded = resumed ? history.attemptsRecorded(lead.leadId(), buyerId) : 0;
            exchange.setProperty(ATTEMPTS_RECORDED, recorded);
        }
        return recorded;
    }
}
