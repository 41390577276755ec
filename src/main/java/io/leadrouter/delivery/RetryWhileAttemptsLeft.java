package io.leadrouter.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * The redelivery rule of every buyer route: redeliver a technical failure while the buyer's
 * max_attempts allows; anything else (including errors of the router itself) goes straight to
 * the dead-letter channel.
 */
public final class RetryWhileAttemptsLeft implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        return failure instanceof RetryableDeliveryException retryable && !retryable.attempt().isLast();
    }
}
