package io.leadrouter.feedback;

import static io.leadrouter.support.Quoted.shortened;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.model.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Set;

/**
 * The body of {@code POST /leads/{lead_id}/feedback}: {@code {"recipient_id": "rcp_…", "type":
 * "return" | "conversion", "reason": "…", "amount": 12.5}}, reason and amount optional.
 *
 * @param amount a conversion's value, or a return's partial credit (the whole price when null); cents
 */
public record FeedbackRequest(String recipientId, String type, String reason, BigDecimal amount) {

    public static final String RETURN = "return";
    public static final String CONVERSION = "conversion";
    private static final Set<String> FIELDS = Set.of("recipient_id", "type", "reason", "amount");
    private static final int LONGEST_TEXT = 500;

    /** A body that is not feedback: answered 400, no event recorded. */
    public static final class Malformed extends IllegalArgumentException {
        Malformed(String problem) {
            super(problem);
        }
    }

    public boolean isReturn() {
        return RETURN.equals(type);
    }

    /** @throws Malformed naming the field at fault */
    public static FeedbackRequest of(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new Malformed("the body must be a JSON object with recipient_id and type");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new Malformed("unknown field '" + shortened(name) + "': feedback has recipient_id, type, reason and amount");
            }
        });
        String recipient = text(body, "recipient_id", true);
        String type = text(body, "type", true).toLowerCase(Locale.ROOT);
        if (!type.equals(RETURN) && !type.equals(CONVERSION)) {
            throw new Malformed("type: '" + shortened(type) + "' is neither 'return' nor 'conversion'");
        }
        String reason = text(body, "reason", false);
        BigDecimal amount = null;
        JsonNode value = body.get("amount");
        if (value != null && !value.isNull()) {
            if (!value.isNumber()) {
                throw new Malformed("amount: must be a number");
            }
            Money.Parsed parsed = Money.of(value);
            if (!parsed.valid()) {
                throw new Malformed("amount " + parsed.problem());
            }
            if (parsed.amount().stripTrailingZeros().scale() > 2) {
                throw new Malformed("amount: has more than 2 decimals (an amount of money, in cents)");
            }
            amount = parsed.amount().setScale(2, RoundingMode.UNNECESSARY);
        }
        return new FeedbackRequest(recipient, type, reason, amount);
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new Malformed(field + ": is required");
            }
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw new Malformed(field + ": must be a non-empty string");
        }
        if (value.textValue().length() > LONGEST_TEXT || value.textValue().indexOf('\0') >= 0) {
            throw new Malformed(field + ": must be at most " + LONGEST_TEXT + " characters, without NUL");
        }
        return value.textValue();
    }
}
