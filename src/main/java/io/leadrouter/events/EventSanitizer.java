package io.leadrouter.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes an event storable before it joins a batch, so that one event PostgreSQL would refuse never
 * fails the events committed with it. What PostgreSQL cannot take: the character {@code \u0000}
 * (not in jsonb nor text), and numbers beyond numeric's range (a buyer's {@code 1e99999999}). An
 * event with such parts is stored with them replaced, and flagged in
 * {@code metadata.sanitized: true} with {@code metadata.sanitized_fields} naming them: the buyer's
 * answer becomes its escaped JSON text, a money field out of bounds becomes null, and
 * {@code \u0000} in any other text is written as the six characters {@code \u0000}. The outcome,
 * the prices within bounds and the buyer's lead id stay as they were.
 *
 * <p>Every check reads only lengths and bit counts, never expands a number, so it costs
 * microseconds whatever the event holds.
 */
final class EventSanitizer {

    /** Digits on either side of the point a number of the buyer's answer may have (PostgreSQL would print more in full). */
    static final int MAX_NUMBER_DIGITS = 1000;
    private static final String NUL = "\u0000";
    private static final String ESCAPED_NUL = "\\u0000";
    private static final List<String[]> MONEY_FIELDS = List.of(
            new String[] {"delivery", "price"}, new String[] {"delivery", "margin"},
            new String[] {"delivery", "attempted_price"}, new String[] {"delivery_plan", "price"});

    private EventSanitizer() {
    }

    /** The event itself when PostgreSQL can store it as it is, else a flagged copy with the unstorable parts replaced. */
    static ObjectNode storable(ObjectNode event) {
        if (isStorable(event) && MONEY_FIELDS.stream().allMatch(field -> isMoneyOrAbsent(event.path(field[0]).path(field[1])))) {
            return event;
        }
        List<String> replaced = new ArrayList<>();
        ObjectNode copy = event.deepCopy();
        JsonNode response = copy.path("response");
        if (response instanceof ObjectNode answer && answer.has("body") && !isStorable(answer.get("body"))) {
            answer.put("body", escapedText(answer.get("body")));
            replaced.add("response.body");
        }
        for (String[] field : MONEY_FIELDS) {
            if (copy.path(field[0]) instanceof ObjectNode parent && !isMoneyOrAbsent(parent.path(field[1]))) {
                parent.putNull(field[1]);
                replaced.add(field[0] + "." + field[1]);
            }
        }
        escapeEverywhere(copy, "", replaced);
        if (replaced.isEmpty()) {
            return event;
        }
        ObjectNode metadata = copy.path("metadata") instanceof ObjectNode existing ? existing : copy.putObject("metadata");
        metadata.put("sanitized", true);
        ArrayNode fields = metadata.putArray("sanitized_fields");
        replaced.forEach(fields::add);
        return copy;
    }

    /**
     * A stored request as PostgreSQL can take it: {@code \u0000} spelled out where it appears (its
     * texts come from the lead and the buyer file, which hardly ever hold one).
     */
    static ObjectNode storableText(ObjectNode request) {
        if (isStorable(request)) {
            return request;
        }
        ObjectNode copy = request.deepCopy();
        escapeEverywhere(copy, "", new ArrayList<>());
        return copy;
    }

    /** The fields of an event's {@code metadata.sanitized_fields}, empty when the event was stored as it came. */
    static List<String> sanitizedFields(JsonNode event) {
        List<String> fields = new ArrayList<>();
        event.path("metadata").path("sanitized_fields").forEach(f -> fields.add(f.asText()));
        return fields;
    }

    /** A money field: null, absent, or an amount within Money's bounds (a margin may be negative). */
    private static boolean isMoneyOrAbsent(JsonNode value) {
        return !value.isNumber() || RecipientEvents.isMoney(value.decimalValue().abs());
    }

    private static boolean isStorable(JsonNode node) {
        if (node.isTextual()) {
            return !node.textValue().contains(NUL);
        }
        if (node.isNumber()) {
            return isStorableNumber(node);
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (field.getKey().contains(NUL) || !isStorable(field.getValue())) {
                return false;
            }
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            if (!isStorable(node.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isStorableNumber(JsonNode number) {
        if (number.isBigDecimal()) {
            BigDecimal decimal = number.decimalValue();
            return Math.abs((long) decimal.scale()) <= MAX_NUMBER_DIGITS
                    && digits(decimal.unscaledValue()) - decimal.scale() <= MAX_NUMBER_DIGITS;
        }
        if (number.isBigInteger()) {
            return digits(number.bigIntegerValue()) <= MAX_NUMBER_DIGITS;
        }
        return !number.isFloatingPointNumber() || Double.isFinite(number.doubleValue());
    }

    /** An upper bound of the decimal digits, from the bit count (no conversion to text). */
    private static long digits(BigInteger value) {
        return (long) Math.ceil(value.bitLength() * 0.30103) + 1;
    }

    /** The buyer's answer as text with every character kept visible: JSON's own escapes, {@code \u0000} spelled out. */
    private static String escapedText(JsonNode body) {
        return body.isTextual() ? body.textValue().replace(NUL, ESCAPED_NUL) : body.toString();
    }

    /** Spells out {@code \u0000} in every other text and field name, and turns numbers PostgreSQL cannot hold into their text. */
    private static void escapeEverywhere(JsonNode node, String path, List<String> replaced) {
        if (node instanceof ObjectNode object) {
            for (String name : List.copyOf(object.properties().stream().map(Map.Entry::getKey).toList())) {
                JsonNode value = object.get(name);
                String fieldPath = path.isEmpty() ? name : path + "." + name;
                if (name.contains(NUL)) {
                    object.remove(name);
                    object.set(name.replace(NUL, ESCAPED_NUL), value);
                    replaced.add(fieldPath.replace(NUL, ESCAPED_NUL));
                }
                JsonNode fixed = fixed(value);
                if (fixed != null) {
                    object.set(name.replace(NUL, ESCAPED_NUL), fixed);
                    replaced.add(fieldPath.replace(NUL, ESCAPED_NUL));
                } else {
                    escapeEverywhere(value, fieldPath, replaced);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode fixed = fixed(array.get(i));
                if (fixed != null) {
                    array.set(i, fixed);
                    replaced.add(path + "[" + i + "]");
                } else {
                    escapeEverywhere(array.get(i), path + "[" + i + "]", replaced);
                }
            }
        }
    }

    /** The storable replacement of a value, or null when it is storable (or a container, looked into instead). */
    private static JsonNode fixed(JsonNode value) {
        if (value.isTextual() && value.textValue().contains(NUL)) {
            return TextNode.valueOf(escapedText(value));
        }
        if (value.isNumber() && !isStorableNumber(value)) {
            return TextNode.valueOf(value.toString());
        }
        return null;
    }
}
