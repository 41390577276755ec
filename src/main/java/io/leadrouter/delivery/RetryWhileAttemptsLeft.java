package io.leadrouter.delivery;

import io.leadrouter.support.Causes;
import io.leadrouter.support.DatabaseOutage;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * The redelivery rule of every buyer route: redeliver a technical failure while the buyer's
 * max_attempts allows, and a database outage for as long as it lasts (waiting cures it, and it
 * consumes no attempt: see {@link AttemptStart}). The circuit's gate adds two: a failed probe is
 * redelivered whatever attempts are left (the gate holds it again), and so is a call the gate
 * deferred while its buyer is on probation or its rate_limit.per_second is used up (nothing was recorded). Anything else (including errors
 * of the router itself) goes straight to the dead-letter channel. Only the buyer's outcome ends a delivery.
 */
public final class RetryWhileAttemptsLeft implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getException();
        if (failure == null) {
            failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        }
        if (Causes.has(failure, BuyerOnProbationException.class) || Causes.has(failure, CallRateLimitedException.class)) {
            return true; // a gate deferred the call: ask again, no attempt was used
        }
        if (failure instanceof RetryableDeliveryException retryable) {
            // a failed probe is redelivered to the circuit's gate, which holds the lead again
            return !retryable.attempt().isLast() || exchange.getProperty(ExchangeKeys.PROBE_FAILED, false, Boolean.class);
        }
        return DatabaseOutage.isOutage(failure);
    }
}
