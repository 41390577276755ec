package io.leadrouter.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.model.Money;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * The checks on a parsed lead that JSON syntax does not cover: strings PostgreSQL's jsonb cannot
 * store ({@code \u0000}, a lone UTF-16 surrogate), numbers too long or too large to store or
 * compute with, and the fields the router itself reads ({@code cost}, {@code score}) within their
 * bounds. Each problem names the field where it is.
 */
final class LeadContentCheck {

    /** Scores are compared and shown, never summed: a wide range, but a finite one. */
    static final BigDecimal MAX_SCORE = new BigDecimal("1000000");

    private final IntakeLimits limits;

    LeadContentCheck(IntakeLimits limits) {
        this.limits = limits;
    }

    void check(ObjectNode lead) throws InvalidLeadException {
        walk(lead, "");
        checkCost(lead.get("cost"));
        checkScore(lead.get("score"));
    }

    private void walk(JsonNode node, String path) throws InvalidLeadException {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                checkText(field.getKey(), "a field name in " + (path.isEmpty() ? "the lead" : path));
                walk(field.getValue(), fieldPath);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isTextual()) {
            checkText(node.textValue(), path);
        } else if (node.isNumber()) {
            checkNumber(node.decimalValue(), path);
        }
    }

    private static void checkText(String text, String where) throws InvalidLeadException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                throw new InvalidLeadException(400, where + ": text must not contain the character \\u0000");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidLeadException(400, where + ": text has a lone surrogate \\u"
                        + Integer.toHexString(c) + ", which is not a Unicode character");
            }
        }
    }

    /** Reads only precision and scale: a number like 1e99999999 is refused without being expanded. */
    private void checkNumber(BigDecimal number, String where) throws InvalidLeadException {
        int digits = limits.maxNumberDigits();
        if (number.precision() - number.scale() > digits || number.scale() > digits) {
            throw new InvalidLeadException(400, where + ": number " + abbreviated(number) + " has more than "
                    + digits + " digits before or after its decimal point");
        }
    }

    private static void checkCost(JsonNode cost) throws InvalidLeadException {
        if (cost == null || cost.isNull()) {
            return;
        }
        Money.Parsed amount = Money.of(cost);
        if (!amount.valid()) {
            throw new InvalidLeadException(400, "cost: " + amount.problem() + " (cost must be " + Money.RULE + ")");
        }
    }

    private static void checkScore(JsonNode score) throws InvalidLeadException {
        if (score == null || score.isNull()) {
            return;
        }
        if (!score.isNumber() || score.decimalValue().abs().compareTo(MAX_SCORE) > 0) {
            throw new InvalidLeadException(400, "score: must be a number from -" + MAX_SCORE.toPlainString()
                    + " to " + MAX_SCORE.toPlainString() + ", got " + abbreviated(score));
        }
    }

    private static String abbreviated(Object value) {
        String text = value.toString(); // BigDecimal.toString is scientific for huge exponents: short
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
