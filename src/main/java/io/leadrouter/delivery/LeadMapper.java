package io.leadrouter.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadrouter.model.Buyer.FieldMapping;
import io.leadrouter.model.Buyer.Transform;
import io.leadrouter.model.LeadFields;
import io.leadrouter.support.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds a buyer's fields from a lead, following the buyer's field mapping in order.
 *
 * <p>Rules, per mapping entry:
 * <ul>
 *   <li>{@code from} is a dotted path into the lead ({@code contact.phone}; a numeric segment indexes an
 *       array); with no {@code from}, the constant {@code value} is used.</li>
 *   <li>Numbers and booleans keep their JSON type unless a transform (other than NONE) is set, which
 *       turns them into text. Objects and arrays are copied as Map/List, untransformed.</li>
 *   <li>A value that is missing, JSON null, or blank text after the transform is replaced by
 *       {@code defaultValue}, used as written (it is already in the buyer's format); with no default the
 *       field is left out.</li>
 *   <li>{@code to} is a dotted path: {@code applicant.phone} gives {@code {"applicant":{"phone":…}}}.</li>
 * </ul>
 * Thread-safe.
 */
public final class LeadMapper {

    private static final Pattern NOT_A_DIGIT = Pattern.compile("[^0-9]");

    private static final ObjectMapper JSON = Json.MAPPER;

    public Map<String, Object> map(List<FieldMapping> mapping, JsonNode lead) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (mapping == null) {
            return fields;
        }
        for (FieldMapping field : mapping) {
            Object value = valueFor(field, lead);
            if (value != null) {
                put(fields, field.to(), value);
            }
        }
        return fields;
    }

    private static Object valueFor(FieldMapping field, JsonNode lead) {
        Object raw = field.from() == null ? field.value() : toJava(LeadFields.find(lead, field.from()));
        Object value = transform(raw, field.transform());
        return isEmpty(value) ? field.defaultValue() : value;
    }

    private static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isContainerNode()) {
            return JSON.convertValue(node, Object.class);
        }
        return node.asText();
    }

    private static Object transform(Object value, Transform transform) {
        if (value == null || transform == null || transform == Transform.NONE || value instanceof Map || value instanceof List) {
            return value;
        }
        String text = value.toString();
        return switch (transform) {
            case DIGITS_ONLY -> NOT_A_DIGIT.matcher(text).replaceAll("");
            case UPPER -> text.toUpperCase(Locale.ROOT);
            case LOWER -> text.toLowerCase(Locale.ROOT);
            case TRIM -> text.strip();
            case NONE -> text;
        };
    }

    private static boolean isEmpty(Object value) {
        return value == null || (value instanceof String text && text.isBlank());
    }

    /** Puts value at a dotted path, creating the nested maps on the way. */
    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> fields, String dottedPath, Object value) {
        String[] segments = dottedPath.split("\\.");
        Map<String, Object> target = fields;
        for (int i = 0; i < segments.length - 1; i++) {
            Object child = target.computeIfAbsent(segments[i], k -> new LinkedHashMap<String, Object>());
            if (!(child instanceof Map)) {
                throw new IllegalArgumentException(
                        "mapping target '" + dottedPath + "' needs '" + segments[i] + "' to be an object, but it already holds a value");
            }
            target = (Map<String, Object>) child;
        }
        String last = segments[segments.length - 1];
        if (target.get(last) instanceof Map) {
            throw new IllegalArgumentException(
                    "mapping target '" + dottedPath + "' would replace the object built by earlier nested fields");
        }
        target.put(last, value);
    }
}
