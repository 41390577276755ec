package io.leadrouter.monitoring;

import io.leadrouter.delivery.GoneBuyers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which of the spec's four alerts a buyer's observation calls for, whether its circuit is open, and
 * whether it answered 410 Gone.
 * Pure: the thresholds and the observation decide.
 */
final class AlertRules {

    /** The alert kinds, as stored, published and listed. */
    static final String DELIVERY_RATE = "delivery_rate_low";
    static final String RESPONSE_TIME = "response_time_high";
    static final String CONSECUTIVE_FAILURES = "consecutive_failures";
    static final String OFFLINE = "buyer_offline";
    static final String CIRCUIT_OPEN = "circuit_open";
    /** The buyer answered 410 Gone: disabled until its buyer file changes (io.leadrouter.delivery.GoneBuyers). */
    static final String GONE = "buyer_gone";

    /** One alert a buyer's figures call for: its measured value and the threshold it crossed. */
    record Firing(String alert, double value, double threshold, String message) {
    }

    private final AlertThresholds thresholds;

    AlertRules(AlertThresholds thresholds) {
        this.thresholds = thresholds;
    }

    List<Firing> firing(String buyerName, BuyerObservation seen) {
        List<Firing> firing = new ArrayList<>();
        long windowMinutes = thresholds.window().toMinutes();
        if (seen.offers() >= thresholds.minOffers() && seen.offers() > 0) {
            double rate = (double) seen.delivered() / seen.offers();
            if (rate < thresholds.deliveryRateBelow()) {
                firing.add(new Firing(DELIVERY_RATE, rate, thresholds.deliveryRateBelow(), String.format(Locale.ROOT,
                        "%s: delivery rate %.1f %% over the last %d min (%d of %d offers), under %.0f %%", buyerName, 100 * rate,
                        windowMinutes, seen.delivered(), seen.offers(), 100 * thresholds.deliveryRateBelow())));
            }
        }
        double limitMs = thresholds.responseTimeAbove().toMillis();
        if (seen.meanResponseMs() > limitMs) {
            firing.add(new Firing(RESPONSE_TIME, seen.meanResponseMs() / 1000, limitMs / 1000, String.format(Locale.ROOT,
                    "%s: mean response time %.2f s over the last %d min, over %.2f s", buyerName, seen.meanResponseMs() / 1000,
                    windowMinutes, limitMs / 1000)));
        }
        if (seen.failuresInARow() > thresholds.consecutiveFailuresAbove()) {
            firing.add(new Firing(CONSECUTIVE_FAILURES, seen.failuresInARow(), thresholds.consecutiveFailuresAbove(), String.format(Locale.ROOT,
                    "%s: %d failed calls in a row, more than %d", buyerName, seen.failuresInARow(), thresholds.consecutiveFailuresAbove())));
        }
        long offlineMs = thresholds.offlineAfter().toMillis();
        long offlineFor = Math.max(seen.onlyTechnicalForMs(), seen.circuitOpenForMs());
        if (offlineFor >= offlineMs) {
            String why = seen.circuitOpenForMs() >= seen.onlyTechnicalForMs() ? "circuit open" : "nothing but technical failures";
            firing.add(new Firing(OFFLINE, offlineFor / 1000.0, offlineMs / 1000.0, String.format(Locale.ROOT,
                    "%s: %s for %d s (offline after %d s)", buyerName, why, offlineFor / 1000, offlineMs / 1000)));
        }
        if (seen.circuitOpenForMs() >= 0) {
            firing.add(new Firing(CIRCUIT_OPEN, seen.circuitOpenForMs() / 1000.0, 0, String.format(Locale.ROOT,
                    "%s: circuit open for %d s, its leads are held", buyerName, seen.circuitOpenForMs() / 1000)));
        }
        return firing;
    }

    /** The alert of a buyer that answered 410 Gone: raised while it is disabled, resolved once its file changes. */
    static Firing gone(String buyerName, GoneBuyers.Gone gone, Instant now) {
        long goneForSeconds = Math.max(0, Duration.between(gone.since(), now).toSeconds());
        return new Firing(GONE, goneForSeconds, 0, String.format(Locale.ROOT,
                "%s: answered 410 Gone %d s ago (lead %s); no calls and no leads until its buyer file changes", buyerName,
                goneForSeconds, gone.leadId()));
    }
}
