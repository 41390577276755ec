package io.leadrouter.monitoring;

import java.time.Duration;

/**
 * The spec's alert thresholds (leadrouter.alerts.*): a buyer's delivery rate under
 * {@code deliveryRateBelow} over {@code window} once it had {@code minOffers} offers; its mean
 * response time over the window above {@code responseTimeAbove}; more than
 * {@code consecutiveFailuresAbove} failed calls in a row; nothing but technical failures for
 * {@code offlineAfter}.
 */
public record AlertThresholds(double deliveryRateBelow, Duration window, int minOffers, Duration responseTimeAbove,
        int consecutiveFailuresAbove, Duration offlineAfter) {
}
