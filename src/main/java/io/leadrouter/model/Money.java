package io.leadrouter.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Amounts of money from outside the router (a lead's cost, a buyer file's price, a payout in a
 * buyer's answer) and the bounds they must keep. An amount is checked before any arithmetic is
 * done on it: {@code 1e99999999} is a short text but rounding or subtracting it would take minutes
 * of CPU and produce a number PostgreSQL cannot store. The checks read only a BigDecimal's
 * bit count, precision and scale, so they cost nanoseconds whatever the amount.
 */
public final class Money {

    /** The largest amount accepted, in the buyer's currency. */
    public static final BigDecimal MAX = new BigDecimal("1000000");
    /** Decimal places an amount may have (cents, and fractions of a cent for per-lead pricing). */
    public static final int MAX_DECIMALS = 4;
    /** Significant digits an amount may be written with (45.000000 is fine, a 200-digit number is not). */
    public static final int MAX_DIGITS = 20;
    /** Bits of an unscaled value that MAX_DIGITS decimal digits can need. */
    private static final int MAX_BITS = (int) Math.ceil(MAX_DIGITS / Math.log10(2)) + 1;
    /** What a valid amount looks like, for error messages. */
    public static final String RULE = "an amount from 0 to " + MAX.toPlainString() + " with at most " + MAX_DECIMALS + " decimals";

    private Money() {
    }

    /** The amount of a text (a buyer's answer, a file), or what is wrong with it; never parses a long text. */
    public static Parsed parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.isEmpty() || trimmed.length() > 2 * MAX_DIGITS) {
            return new Parsed(null, "is not " + RULE);
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(trimmed);
        } catch (NumberFormatException e) {
            return new Parsed(null, "is not a number");
        }
        return problem(amount).map(p -> new Parsed(null, p)).orElse(new Parsed(amount, null));
    }

    /** The amount of a JSON value (a number, or a number written as text), or what is wrong with it. */
    public static Parsed of(JsonNode value) {
        if (value.isNumber()) {
            BigDecimal amount = value.decimalValue();
            return problem(amount).map(p -> new Parsed(null, p)).orElse(new Parsed(amount, null));
        }
        return value.isTextual() ? parse(value.textValue()) : new Parsed(null, "is not a number");
    }

    /** An amount, or the problem that kept a text from being one. */
    public record Parsed(BigDecimal amount, String problem) {
        public boolean valid() {
            return amount != null;
        }
    }

    /** Empty when the amount is within the bounds; else what is wrong with it. */
    public static Optional<String> problem(BigDecimal amount) {
        // the bit count first: it is read at once, while even precision() of a 200,000-digit number takes long
        if (amount.unscaledValue().bitLength() > MAX_BITS || amount.precision() > MAX_DIGITS) {
            return Optional.of("has more than " + MAX_DIGITS + " digits");
        }
        if (amount.signum() < 0) {
            return Optional.of("must not be negative");
        }
        // digits before the point, computed without expanding the number
        if (amount.precision() - amount.scale() > MAX.precision() || amount.compareTo(MAX) > 0) {
            return Optional.of("must be at most " + MAX.toPlainString());
        }
        if (amount.stripTrailingZeros().scale() > MAX_DECIMALS) { // cheap: at most MAX_DIGITS digits
            return Optional.of("must have at most " + MAX_DECIMALS + " decimals");
        }
        return Optional.empty();
    }
}
