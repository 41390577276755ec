package io.leadrouter.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.model.Lead;
import io.leadrouter.support.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code leadrouter.events.masked-fields}: lead fields (dotted paths: ssn, applicant.dob) whose values
 * never reach an event, a dead letter or the firehose. A buyer that echoes one back has it masked in
 * its answer as {@link SecretRedactor} masks credentials (as written, JSON-escaped, URL-encoded,
 * base64), and the event names the fields it masked in {@code metadata.masked_fields}.
 */
public final class LeadFieldMask {

    private final List<String> fields;

    public LeadFieldMask(List<String> fields) {
        this.fields = List.copyOf(fields);
    }

    /**
     * The text with the lead's masked values masked; the fields whose values were found are added to
     * {@code found}. Values shorter than {@link SecretRedactor}'s minimum are left (they would mask
     * half of every answer).
     */
    public String mask(String text, Lead lead, Collection<String> found) {
        if (text == null || fields.isEmpty()) {
            return text;
        }
        String result = text;
        for (String field : fields) {
            List<String> values = new ArrayList<>();
            collectValues(Json.at(lead.payload(), field), values);
            String masked = SecretRedactor.redact(result, values);
            if (!masked.equals(result) && !found.contains(field)) {
                found.add(field);
            }
            result = masked;
        }
        return result;
    }

    /** A field's scalar values: its own, or each one inside it when it is an object or an array. */
    private static void collectValues(JsonNode node, List<String> values) {
        if (node.isContainerNode()) {
            node.forEach(child -> collectValues(child, values));
        } else if (node.isTextual() || node.isNumber()) {
            values.add(node.asText());
        }
    }
}
