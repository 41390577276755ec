package io.leadrouter.delivery;

import io.leadrouter.model.Buyer.RetryPolicy;
import io.leadrouter.model.DeliveryAttempt;
import java.time.Duration;
import org.apache.camel.Exchange;

/**
 * Step {@code set-retry-delay}: how long the buyer route's redelivery waits before the next attempt
 * of a technical failure. The buyer's own backoff (retry: initial_delay_ms, times backoff_multiplier
 * per attempt, up to max_delay_ms), or longer when the buyer answered 429 or 503 with
 * {@code Retry-After}: what it asked, up to {@code leadrouter.delivery.max-retry-after-ms}.
 *
 * <p>The delay goes to Camel as the header {@link Exchange#REDELIVERY_DELAY}, which its
 * RedeliveryErrorHandler reads from the failed message in place of the policy's own figure. Set on
 * every technical failure, not only after a Retry-After: Camel computes its next backoff from the
 * last delay it used, so one long Retry-After (or a rate-limit wait) would otherwise bend the
 * buyer's backoff for the attempts after it.
 */
public final class RetryDelay {

    private final Duration maxRetryAfter;

    public RetryDelay(Duration maxRetryAfter) {
        this.maxRetryAfter = maxRetryAfter;
    }

    public void set(Exchange exchange) {
        DeliveryAttempt attempt = exchange.getProperty(ExchangeKeys.ATTEMPT, DeliveryAttempt.class);
        Duration askedFor = exchange.getProperty(ExchangeKeys.RETRY_AFTER, Duration.class);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delayMs(attempt.buyer().retry(), attempt.attemptNumber(), askedFor));
    }

    /** The wait after attempt {@code attemptNumber} (1 for the first) failed; {@code askedFor} is the buyer's Retry-After, or null. */
    long delayMs(RetryPolicy retry, int attemptNumber, Duration askedFor) {
        double backoff = retry.initialDelayMs() * Math.pow(Math.max(1.0, retry.backoffMultiplier()), attemptNumber - 1);
        long own = (long) Math.min(backoff, retry.maxDelayMs());
        long asked = askedFor == null ? 0 : Math.min(askedFor.toMillis(), maxRetryAfter.toMillis());
        return Math.max(own, asked);
    }
}
