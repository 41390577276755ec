package io.leadrouter.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.model.Buyer;
import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.model.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * Builds recipient events in the shape of the spec's examples, field for field and in the same
 * order, plus a unique {@code event_id} that consumers use to drop repeats.
 */
public final class RecipientEvents {

    public static final String DELIVERY_ATTEMPT = "recipient.delivery_attempt";
    public static final String DELIVERED = "recipient.delivered";
    public static final String FAILED = "recipient.failed";
    public static final String FEEDBACK = "recipient.feedback";

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ObjectMapper json;
    private final Clock clock;

    public RecipientEvents(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** Emitted just before the buyer is called. */
    public ObjectNode deliveryAttempt(DeliveryAttempt attempt) {
        Buyer buyer = attempt.buyer();
        ObjectNode event = header(DELIVERY_ATTEMPT, attempt, attempt.startedAt());
        ObjectNode plan = event.putObject("delivery_plan");
        plan.put("price", money(buyer.price()));
        plan.put("exclusive", buyer.exclusive());
        plan.put("priority", buyer.priority());
        plan.put("timeout", buyer.endpoint().timeoutMs());
        ObjectNode snapshot = event.putObject("lead_snapshot");
        attempt.lead().score().ifPresentOrElse(s -> snapshot.put("score", s), () -> snapshot.putNull("score"));
        snapshot.put("age_minutes", attempt.lead().ageMinutes(attempt.startedAt()));
        snapshot.put("enhancements_complete", attempt.lead().enhancementsComplete());
        metadata(event, attempt);
        return event;
    }

    /** Emitted when the buyer accepted the lead. The price is the buyer's payout when it reports one. */
    public ObjectNode delivered(DeliveryAttempt attempt, DeliveryOutcome outcome, String url) {
        Buyer buyer = attempt.buyer();
        ObjectNode event = concluded(DELIVERED, "success", attempt, outcome);
        BigDecimal price = outcome.payout() != null && isMoney(outcome.payout()) ? outcome.payout() : buyer.price();
        ObjectNode delivery = delivery(event, buyer, url);
        delivery.put("price", money(price));
        // no arithmetic on an amount out of bounds: 1e99999999 - 10 would take minutes
        attempt.lead().cost().filter(cost -> isMoney(cost) && isMoney(price)).ifPresentOrElse(
                cost -> delivery.put("margin", money(price.subtract(cost))), () -> delivery.putNull("margin"));
        ObjectNode parsed = response(event, outcome, true);
        if (outcome.details() != null) {
            parsed.put("details", outcome.details()); // what of the answer was ignored, e.g. an out-of-range payout
        }
        metadata(event, attempt);
        return event;
    }

    /** Emitted when an attempt failed, whether or not it will be retried. */
    public ObjectNode failed(DeliveryAttempt attempt, DeliveryOutcome outcome, String url) {
        Buyer buyer = attempt.buyer();
        ObjectNode event = concluded(FAILED, "failed", attempt, outcome);
        ObjectNode failure = event.putObject("failure");
        failure.put("reason", outcome.failureReason().label());
        failure.put("category", outcome.failureReason().category().label());
        failure.put("details", outcome.details());
        failure.put("retry_eligible", outcome.failureReason().retryEligible());
        delivery(event, buyer, url).put("attempted_price", money(buyer.price()));
        if (outcome.statusCode() != null) {
            response(event, outcome, false);
        }
        metadata(event, attempt);
        return event;
    }

    /**
     * A buyer's feedback on a lead delivered to it: accepted, or refused with the reason the buyer
     * should see. {@code recipient} is the delivered event's, as the buyer was named then.
     */
    public ObjectNode feedback(String leadId, JsonNode recipient, String type, String reason, BigDecimal amount,
            String refusal, Instant deliveredAt, String keyId) {
        ObjectNode event = json.createObjectNode();
        event.put("event_id", UUID.randomUUID().toString());
        event.put("event_type", FEEDBACK);
        event.put("timestamp", timestamp(clock.instant()));
        event.put("lead_id", leadId);
        event.set("recipient", recipient);
        ObjectNode feedback = event.putObject("feedback");
        feedback.put("type", type);
        feedback.put("reason", reason);
        feedback.put("amount", amount);
        feedback.put("accepted", refusal == null);
        feedback.put("refusal", refusal);
        ObjectNode metadata = event.putObject("metadata");
        metadata.put("delivered_at", timestamp(deliveredAt));
        metadata.put("api_key_id", keyId);
        return event;
    }

    /**
     * Says in {@code metadata.final} whether the outcome ends the lead's delivery to this buyer (no
     * attempt follows): what the analytics count as an offer's outcome.
     */
    public static void recordFinal(ObjectNode event, boolean isFinal) {
        ((ObjectNode) event.path("metadata")).put("final", isFinal);
    }

    /** What every event starts with: its id, type and time, the lead and the recipient. */
    private ObjectNode header(String type, DeliveryAttempt attempt, Instant at) {
        ObjectNode event = json.createObjectNode();
        event.put("event_id", UUID.randomUUID().toString());
        event.put("event_type", type);
        event.put("timestamp", timestamp(at));
        event.put("lead_id", attempt.lead().leadId());
        ObjectNode recipient = event.putObject("recipient");
        recipient.put("id", attempt.buyer().id());
        recipient.put("name", attempt.buyer().name());
        recipient.put("type", attempt.buyer().type());
        return event;
    }

    /** The header of an attempt's outcome, and how long the attempt took. */
    private ObjectNode concluded(String type, String outcomeLabel, DeliveryAttempt attempt, DeliveryOutcome outcome) {
        ObjectNode event = header(type, attempt, clock.instant());
        event.put("outcome", outcomeLabel);
        event.put("duration_ms", outcome.durationMs());
        return event;
    }

    private static ObjectNode delivery(ObjectNode event, Buyer buyer, String url) {
        ObjectNode delivery = event.putObject("delivery");
        delivery.put("method", "HTTP " + buyer.endpoint().method());
        delivery.put("url", url);
        return delivery;
    }

    /** The buyer's answer as received, and as read ({@code parsed}, returned). */
    private static ObjectNode response(ObjectNode event, DeliveryOutcome outcome, boolean acceptance) {
        ObjectNode response = event.putObject("response");
        if (outcome.statusCode() == null) {
            response.putNull("status_code");
        } else {
            response.put("status_code", outcome.statusCode());
        }
        Object body = outcome.responseBody();
        if (body instanceof JsonNode node) {
            response.set("body", node);
        } else if (body == null) {
            response.putNull("body");
        } else {
            response.put("body", body.toString());
        }
        ObjectNode parsed = response.putObject("parsed");
        parsed.put("buyer_lead_id", outcome.buyerLeadId());
        parsed.put("acceptance", acceptance);
        return parsed;
    }

    private static void metadata(ObjectNode event, DeliveryAttempt attempt) {
        ObjectNode metadata = event.putObject("metadata");
        metadata.put("attempt_number", attempt.attemptNumber());
        metadata.put("total_attempts", attempt.totalAttempts());
        metadata.put("first_attempt", timestamp(attempt.firstAttemptAt()));
        metadata.put("integration", attempt.buyer().integration());
        metadata.put("buyer_tier", attempt.buyer().tier());
        metadata.put("idempotency_key", attempt.idempotencyKey());
    }

    /** Names, in {@code metadata.masked_fields}, the lead fields whose values were masked in the event (leadrouter.events.masked-fields). */
    public static void recordMaskedFields(ObjectNode event, List<String> fields) {
        ArrayNode names = ((ObjectNode) event.path("metadata")).putArray("masked_fields");
        fields.forEach(names::add);
    }

    /** The amount rounded to cents, or null when it is out of Money's bounds (a margin may be negative). */
    private static BigDecimal money(BigDecimal amount) {
        return isMoney(amount.abs()) ? amount.setScale(2, RoundingMode.HALF_UP) : null;
    }

    /** Whether an amount is within {@link Money}'s bounds (checked without arithmetic on it). */
    static boolean isMoney(BigDecimal amount) {
        return Money.problem(amount).isEmpty();
    }
}
