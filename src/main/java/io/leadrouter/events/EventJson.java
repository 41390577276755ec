package io.leadrouter.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Events read back from PostgreSQL (whose jsonb reorders keys) put back in the spec's order.
 */
public final class EventJson {

    /** The order of fields in the spec's examples; fields not listed keep their place after these. */
    private static final List<String> FIELD_ORDER = List.of(
            "event_id", "event_type", "timestamp", "lead_id", "recipient", "id", "name", "type",
            "outcome", "duration_ms", "failure", "reason", "category", "details", "retry_eligible",
            "delivery", "method", "url", "price", "margin", "attempted_price",
            "response", "status_code", "body", "parsed", "buyer_lead_id", "acceptance",
            "delivery_plan", "exclusive", "priority", "timeout",
            "lead_snapshot", "score", "age_minutes", "enhancements_complete",
            "feedback", "amount", "accepted", "refusal",
            "metadata", "attempt_number", "total_attempts", "first_attempt", "integration", "buyer_tier");

    private EventJson() {
    }

    /** Reorders the event's fields (not the buyer's own response body) as in the spec. */
    public static ObjectNode inSpecOrder(ObjectNode event) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(event.properties());
        fields.sort(Comparator.comparingInt(f -> rank(f.getKey())));
        ObjectNode ordered = event.objectNode();
        for (Map.Entry<String, JsonNode> field : fields) {
            JsonNode value = field.getValue();
            ordered.set(field.getKey(), value instanceof ObjectNode nested && !field.getKey().equals("body")
                    ? inSpecOrder(nested) : value);
        }
        return ordered;
    }

    /** The events of a lead that concern one buyer ({@code recipient.id}), in their order. */
    public static ArrayNode ofRecipient(ArrayNode events, String recipientId) {
        ArrayNode own = events.arrayNode();
        for (JsonNode event : events) {
            if (recipientId.equals(event.path("recipient").path("id").asText(null))) {
                own.add(event);
            }
        }
        return own;
    }

    private static int rank(String field) {
        int index = FIELD_ORDER.indexOf(field);
        return index < 0 ? FIELD_ORDER.size() : index;
    }
}
