package io.leadrouter.model;

import io.leadrouter.model.Buyer;
import io.leadrouter.model.Lead;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One try of one lead at one buyer.
 *
 * @param attemptNumber  1 for the first try, counting every try recorded for this lead at this buyer, across restarts
 * @param firstAttemptAt when the first try of this lead at this buyer started
 * @param startedAt      when this try started
 */
public record DeliveryAttempt(Lead lead, Buyer buyer, int attemptNumber, Instant firstAttemptAt, Instant startedAt) {

    public int totalAttempts() {
        return buyer.retry().maxAttempts();
    }

    public boolean isLast() {
        return attemptNumber >= totalAttempts();
    }

    /** The same for every retry and replay of this lead to this buyer, so the buyer can drop repeats. */
    public String idempotencyKey() {
        return idempotencyKey(lead.leadId(), buyer.id());
    }

    public static String idempotencyKey(String leadId, String buyerId) {
        return UUID.nameUUIDFromBytes((leadId + "|" + buyerId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
