package io.leadrouter.delivery;

import io.leadrouter.model.FailureReason;
import java.math.BigDecimal;

/**
 * What a buyer's HTTP answer means, as read by {@link ResponseInterpreter}.
 *
 * @param accepted        whether the buyer took the lead
 * @param bodyForEvent    the answer as events show it: a Jackson {@code JsonNode} for a JSON answer that
 *                        parses, else the text (capped at 64 KiB); null for an empty answer
 * @param buyerLeadId     the buyer's id for the lead, when accepted and the rules find one
 * @param payout          what the buyer says it pays, when accepted and the rules find a number
 * @param failureReason   null when accepted
 * @param details         a short sentence for {@code failure.details}; when accepted, null or a note on what
 *                        of the answer was ignored (an out-of-range payout)
 */
public record BuyerVerdict(
        boolean accepted,
        Object bodyForEvent,
        String buyerLeadId,
        BigDecimal payout,
        FailureReason failureReason,
        String details) {
}
