package io.leadrouter.intake;

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
        return score != null && score.isNumber() ? Optional.of(score.intValue()) : Optional.empty();
    }

    /** What the lead cost the seller; the margin of a sale is price minus this. */
    public Optional<BigDecimal> cost() {
        JsonNode cost = payload.get("cost");
        if (cost == null || cost.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(cost.isNumber() ? cost.decimalValue() : new BigDecimal(cost.asText()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
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
