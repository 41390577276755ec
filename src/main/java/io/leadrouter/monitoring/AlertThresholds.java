package io.leadrouter.monitoring;

import io.leadrouter.model.Buyer;
import java.time.Duration;

/**
 * The spec's alert thresholds (leadrouter.alerts.*): a buyer's delivery rate under
 * {@code deliveryRateBelow} over {@code window} once it had {@code minOffers} offers; its mean
 * response time over the window above {@code responseTimeAbove}; more than
 * {@code consecutiveFailuresAbove} failed calls in a row; nothing but technical failures (or its
 * circuit open) for {@code offlineAfter}.
 */
public record AlertThresholds(double deliveryRateBelow, Duration window, int minOffers, Duration responseTimeAbove,
        int consecutiveFailuresAbove, Duration offlineAfter) {

    /** These thresholds with the ones a buyer file sets in its {@code alerts} section instead. */
    public AlertThresholds forBuyer(Buyer.AlertOverrides own) {
        if (own == null) {
            return this;
        }
        return new AlertThresholds(
                own.deliveryRateBelow() != null ? own.deliveryRateBelow() : deliveryRateBelow,
                window,
                own.minOffers() != null ? own.minOffers() : minOffers,
                own.responseTimeAboveMs() != null ? Duration.ofMillis(own.responseTimeAboveMs()) : responseTimeAbove,
                own.consecutiveFailuresAbove() != null ? own.consecutiveFailuresAbove() : consecutiveFailuresAbove,
                own.offlineSeconds() != null ? Duration.ofSeconds(own.offlineSeconds()) : offlineAfter);
    }
}
