package io.leadrouter.model;

import java.math.BigDecimal;

/**
 * What came of one attempt: accepted, or a failure with its reason.
 *
 * @param statusCode   the buyer's HTTP status, or null when no response arrived
 * @param responseBody what the event shows of the buyer's answer (parsed JSON, or text), or null
 */
public record DeliveryOutcome(
        boolean accepted,
        Integer statusCode,
        Object responseBody,
        String buyerLeadId,
        BigDecimal payout,
        FailureReason failureReason,
        String details,
        long durationMs) {

    public boolean retryEligible() {
        return !accepted && failureReason.retryEligible();
    }
}
