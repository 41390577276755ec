package io.leadrouter.delivery;

import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.model.Buyer;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.events.EventEmitter;
import io.leadrouter.events.RecipientEvents;
import io.leadrouter.model.Lead;
import io.leadrouter.events.EventStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * First step of an attempt: works out which attempt this is, builds the buyer's request on the
 * message, and records the {@code recipient.delivery_attempt} event before the buyer is called.
 *
 * <p>The attempt number counts the attempts recorded, not Camel's redeliveries: a redelivery after
 * a database outage (nothing recorded, the buyer not called) takes no number, and a lead resumed
 * after a crash or a stop goes on from the last number recorded for it at this buyer.
 */
public final class AttemptPreparer implements Processor {

    /** How many attempts of this lead at this buyer are recorded; reset when a buyer route takes the lead. */
    public static final String ATTEMPTS_RECORDED = "leadRouterAttemptsRecorded";

    private final BuyerCatalog catalog;
    private final BuyerRequestFactory requests;
    private final RecipientEvents events;
    private final EventEmitter emitter;
    private final EventStore history;
    private final Clock clock;

    public AttemptPreparer(BuyerCatalog catalog, BuyerRequestFactory requests, RecipientEvents events,
            EventEmitter emitter, EventStore history, Clock clock) {
        this.catalog = catalog;
        this.history = history;
        this.requests = requests;
        this.events = events;
        this.emitter = emitter;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws SQLException, AttemptsUsedUpException {
        Lead lead = exchange.getProperty(ExchangeKeys.LEAD, Lead.class);
        String buyerId = exchange.getProperty(ExchangeKeys.BUYER_ID, String.class);
        Buyer buyer = catalog.find(buyerId)
                .orElseThrow(() -> new IllegalStateException("buyer " + buyerId + " was removed"));
        Message message = exchange.getMessage();
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
        exchange.removeProperty(Exchange.EXCEPTION_CAUGHT);
        exchange.removeProperty(ExchangeKeys.OUTCOME);

        // Clean slate for the request, but Camel's redelivery bookkeeping must survive: the error
        // handler counts attempts (and computes the backoff) from these headers.
        message.removeHeaders("*", Exchange.REDELIVERY_COUNTER, Exchange.REDELIVERED, Exchange.REDELIVERY_MAX_COUNTER);
        message.setBody(null);
        exchange.setProperty(ExchangeKeys.HTTP_URI, HttpEndpoints.uriFor(buyer));
        emitter.emit(events.deliveryAttempt(attempt));
        exchange.setProperty(ATTEMPTS_RECORDED, attempt.attemptNumber());
        try {
            BuyerRequest request = requests.create(attempt);
            request.headers().forEach(message::setHeader);
            message.setHeader(Exchange.CONTENT_TYPE, request.contentType());
            message.setBody(request.body());
            exchange.setProperty(RequestSecrets.KEY, new RequestSecrets(request.secrets()));
        } catch (RuntimeException e) {
            // no request could be built (a missing secret, a mapping the lead does not fit):
            // the attempt fails here, and the concluder records why
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new RequestNotBuiltException(e));
        }
        exchange.setProperty(ExchangeKeys.CALL_STARTED_NANOS, System.nanoTime());
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
