package io.leadrouter.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A lead as accepted by intake: the lead's own JSON object, the id it was given, and when it
 * arrived. The fields the router itself reads (score, cost, enhancements_complete, created_at)
 * are optional in the lead.
 */
public record Lead(String leadId, ObjectNode payload, Instant receivedAt) {

    public Optional<Integer> score() {
        JsonNode score = payload.get("score");
        if (score == null || !score.isNumber()) {
            return Optional.empty();
        }
        BigDecimal value = score.decimalValue();
        // intake bounds scores; a value stored before that rule is only read if intValue() is cheap on it
        boolean small = value.scale() <= 40 && value.precision() - value.scale() <= 7;
        return small ? Optional.of(value.intValue()) : Optional.empty();
    }

    /**
     * What the lead cost the seller; the margin of a sale is price minus this. Intake refuses a cost
     * outside {@link Money}'s bounds; one stored before that rule is ignored here, never computed with.
     */
    public Optional<BigDecimal> cost() {
        JsonNode cost = payload.get("cost");
        if (cost == null || cost.isNull()) {
            return Optional.empty();
        }
        return Optional.ofNullable(Money.of(cost).amount());
    }

    public boolean enhancementsComplete() {
        JsonNode done = payload.get("enhancements_complete");
        return done != null && done.asBoolean(false);
    }

    /** Minutes since the lead was created (its own created_at when it carries one, else its arrival). */
    public double ageMinutes(Instant now) {
        Instant created = receivedAt;
        JsonNode createdAt = payload.get("created_at");
        if (createdAt != null && createdAt.isTextual()) {
            try {
                created = Instant.parse(createdAt.asText());
            } catch (java.time.format.DateTimeParseException ignored) {
                // a lead's own timestamp is informational; a malformed one falls back to arrival time
            }
        }
        return Math.round(Duration.between(created, now).toMillis() / 6000.0) / 10.0;
    }
}
