package io.leadrouter.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.events.EventEmitter;
import io.leadrouter.events.RecipientEvents;
import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.model.DeliveryOutcome;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * Steps {@code record-attempt} and {@code record-outcome}: where delivery writes its events. Each
 * returns once the event is in the table, so nothing goes on to the buyer, or to the next buyer,
 * without its trace.
 */
public final class AttemptEvents {

    private final RecipientEvents events;
    private final EventEmitter emitter;
    private final LeadFieldMask mask;

    public AttemptEvents(RecipientEvents events, EventEmitter emitter, LeadFieldMask mask) {
        this.events = events;
        this.emitter = emitter;
        this.mask = mask;
    }

    /** {@code recipient.delivery_attempt}, before the buyer is called. */
    public void attempted(Exchange exchange) {
        DeliveryAttempt attempt = exchange.getProperty(ExchangeKeys.ATTEMPT, DeliveryAttempt.class);
        emitter.emit(events.deliveryAttempt(attempt));
        AttemptStart.counted(exchange, attempt);
    }

    /**
     * Whether the buyer route will try again (see {@link RetryWhileAttemptsLeft}): a technical failure
     * with attempts left, or of a probe (its lead is held again, whatever attempts are left).
     */
    private static boolean retryFollows(Exchange exchange, DeliveryAttempt attempt, DeliveryOutcome outcome) {
        return outcome.retryEligible() && (!attempt.isLast() || exchange.getProperty(ExchangeKeys.PROBE) != null);
    }

    /**
     * {@code recipient.delivered} or {@code recipient.failed}, whether or not a retry follows; stored
     * with the request sent, when one was (see {@link SentRequest}).
     */
    public void concluded(Exchange exchange) {
        DeliveryAttempt attempt = exchange.getProperty(ExchangeKeys.ATTEMPT, DeliveryAttempt.class);
        DeliveryOutcome outcome = exchange.getProperty(ExchangeKeys.OUTCOME, DeliveryOutcome.class);
        String url = HttpEndpoints.displayUrl(attempt.buyer());
        ObjectNode event = outcome.accepted() ? events.delivered(attempt, outcome, url) : events.failed(attempt, outcome, url);
        List<String> masked = exchange.getProperty(ExchangeKeys.MASKED_FIELDS, List.class);
        if (masked != null && !masked.isEmpty()) {
            RecipientEvents.recordMaskedFields(event, masked);
        }
        RecipientEvents.recordFinal(event, !retryFollows(exchange, attempt, outcome));
        SentRequest sent = exchange.getProperty(SentRequest.KEY, SentRequest.class);
        emitter.emit(event, sent == null ? null : sent.stored(mask, attempt.lead()));
    }
}
