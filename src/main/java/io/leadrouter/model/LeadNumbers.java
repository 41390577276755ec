package io.leadrouter.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.regex.Pattern;

/** A lead field's value read as a number, for the filters' comparisons. */
final class LeadNumbers {

    /** Bounded: BigDecimal parsing of a hostile lead's thousand-digit string is not free. */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?\\d{0,30}\\.?\\d{1,30}([eE][-+]?\\d{1,3})?");

    private LeadNumbers() {
    }

    /** A JSON number, or text that reads as one; otherwise null. */
    static BigDecimal of(JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        return value.isTextual() ? of(value.asText()) : null;
    }

    static BigDecimal of(String text) {
        String trimmed = text.strip();
        return DECIMAL.matcher(trimmed).matches() ? new BigDecimal(trimmed) : null;
    }
}
