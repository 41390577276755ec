package io.leadrouter.model;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads a field of a lead by its dotted path ({@code contact.phone}; a numeric segment indexes an array). */
public final class LeadFields {

    private LeadFields() {
    }

    /** The value at the path, or null when the lead has none there. */
    public static JsonNode find(JsonNode lead, String dottedPath) {
        JsonNode node = lead;
        for (String segment : dottedPath.split("\\.")) {
            if (node == null) {
                return null;
            }
            node = node.isArray() && isIndex(segment) ? node.get(Integer.parseInt(segment)) : node.get(segment);
        }
        return node;
    }

    /** The value at the path as text (numbers and booleans as written), or null when absent, null or not a scalar. */
    public static String text(JsonNode lead, String dottedPath) {
        JsonNode value = find(lead, dottedPath);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }

    private static boolean isIndex(String segment) {
        return !segment.isEmpty() && segment.length() < 10 && segment.chars().allMatch(Character::isDigit);
    }
}
