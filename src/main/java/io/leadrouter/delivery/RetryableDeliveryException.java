package io.leadrouter.delivery;

import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.model.DeliveryAttempt;
import org.apache.camel.Exchange;

/**
 * Thrown after a technical failure so that the buyer route's redelivery policy tries again, and
 * its dead-letter channel takes the lead once the attempts are used up. The message names the
 * buyer and the reason only: never a header, a payload or a secret.
 */
public final class RetryableDeliveryException extends Exception {

    private final transient DeliveryAttempt attempt;
    private final transient DeliveryOutcome outcome;

    public RetryableDeliveryException(DeliveryAttempt attempt, DeliveryOutcome outcome) {
        super(outcome.failureReason().label() + " delivering " + attempt.lead().leadId() + " to " + attempt.buyer().id()
                + " (attempt " + attempt.attemptNumber() + " of " + attempt.totalAttempts() + "): " + outcome.details(),
                null, false, false);
        this.attempt = attempt;
        this.outcome = outcome;
    }

    /** Step {@code ask-for-redelivery}: hands the attempt's technical failure to the buyer route's redelivery. */
    public static void raise(Exchange exchange) throws RetryableDeliveryException {
        throw new RetryableDeliveryException(exchange.getProperty(ExchangeKeys.ATTEMPT, DeliveryAttempt.class),
                exchange.getProperty(ExchangeKeys.OUTCOME, DeliveryOutcome.class));
    }

    public DeliveryAttempt attempt() {
        return attempt;
    }

    public DeliveryOutcome outcome() {
        return outcome;
    }
}
