package io.leadrouter.delivery;

import io.leadrouter.support.DatabaseOutage;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * The redelivery rule of every buyer route: redeliver a technical failure while the buyer's
 * max_attempts allows, and a database outage for as long as it lasts (waiting cures it, and it
 * consumes no attempt: see {@link AttemptStart}); anything else (including errors of the router
 * itself) goes straight to the dead-letter channel. Only the buyer's outcome ends a delivery.
 */
public final class RetryWhileAttemptsLeft implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        if (failure instanceof RetryableDeliveryException retryable) {
            return !retryable.attempt().isLast();
        }
        return DatabaseOutage.isOutage(failure);
    }
}
