package io.leadrouter.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A buyer's {@code accept_if}: conditions on the fields of a lead, in {@code all} and {@code any}
 * groups. It answers which rule refused a lead, by its place in the buyer file ({@code accept_if[1].any}).
 * Regular expressions are RE2 ones (linear time): no lead can make a filter run long.
 */
public sealed interface LeadFilter {

    /** Takes every lead: a buyer file without accept_if. */
    LeadFilter ACCEPT_ALL = new All("accept_if", List.of());

    /** Empty when the lead is accepted; otherwise the rule that refused it and why. */
    Optional<Refusal> refusal(JsonNode lead);

    /** The rule that said no ({@code accept_if[0]}) and what it asks, without the lead's own values. */
    record Refusal(String rule, String why) {
    }

    /** Every condition holds. */
    record All(String rule, List<LeadFilter> conditions) implements LeadFilter {
        @Override
        public Optional<Refusal> refusal(JsonNode lead) {
            for (LeadFilter condition : conditions) {
                Optional<Refusal> refusal = condition.refusal(lead);
                if (refusal.isPresent()) {
                    return refusal;
                }
            }
            return Optional.empty();
        }
    }

    /** At least one condition holds. */
    record Any(String rule, List<LeadFilter> conditions) implements LeadFilter {
        @Override
        public Optional<Refusal> refusal(JsonNode lead) {
            List<String> whyNot = new ArrayList<>(conditions.size());
            for (LeadFilter condition : conditions) {
                Optional<Refusal> refusal = condition.refusal(lead);
                if (refusal.isEmpty()) {
                    return Optional.empty();
                }
                whyNot.add(refusal.get().why());
            }
            return Optional.of(new Refusal(rule, "none of its " + conditions.size() + " conditions holds: " + String.join("; ", whyNot)));
        }
    }

    /** One test of one lead field (a dotted path). */
    record Condition(String rule, String field, Test test) implements LeadFilter {
        @Override
        public Optional<Refusal> refusal(JsonNode lead) {
            JsonNode value = LeadFields.find(lead, field);
            boolean absent = value == null || value.isNull() || value.isMissingNode() || (value.isTextual() && value.asText().isBlank());
            return test.holds(absent ? null : value) ? Optional.empty() : Optional.of(new Refusal(rule, field + " " + test.asks()));
        }
    }

    /** What a condition asks of a field's value (null when the lead has none). */
    sealed interface Test {
        boolean holds(JsonNode value);

        /** What it asks, after the field's name: "is one of [TX, CA]". */
        String asks();
    }

    /** Equal to one of the values: numbers by value, text ignoring case; {@code negated} for not_equals / not_in. */
    record OneOf(List<String> values, boolean negated) implements Test {
        @Override
        public boolean holds(JsonNode value) {
            if (value == null || !value.isValueNode()) {
                return negated;
            }
            boolean found = values.stream().anyMatch(v -> same(value, v));
            return found != negated;
        }

        private static boolean same(JsonNode value, String expected) {
            BigDecimal number = LeadNumbers.of(value);
            BigDecimal other = LeadNumbers.of(expected);
            if (number != null && other != null) {
                return number.compareTo(other) == 0;
            }
            return value.asText().equalsIgnoreCase(expected);
        }

        @Override
        public String asks() {
            if (values.size() == 1) {
                return (negated ? "is not " : "is ") + values.get(0);
            }
            return (negated ? "is none of " : "is one of ") + values;
        }
    }

    /** A number (or numeric text) within [min, max]; either bound may be open (null). */
    record Range(BigDecimal min, BigDecimal max) implements Test {
        @Override
        public boolean holds(JsonNode value) {
            BigDecimal number = value == null ? null : LeadNumbers.of(value);
            return number != null && (min == null || number.compareTo(min) >= 0) && (max == null || number.compareTo(max) <= 0);
        }

        @Override
        public String asks() {
            if (min != null && max != null) {
                return "is a number from " + min.toPlainString() + " to " + max.toPlainString();
            }
            return min != null ? "is a number of at least " + min.toPlainString() : "is a number of at most " + max.toPlainString();
        }
    }

    /** The value's text contains a match of an RE2 regular expression (anchor it with ^ and $ for a whole match). */
    record Matches(Pattern pattern) implements Test {
        @Override
        public boolean holds(JsonNode value) {
            return value != null && value.isValueNode() && pattern.matcher(value.asText()).find();
        }

        @Override
        public String asks() {
            return "matches " + pattern.pattern();
        }
    }

    /** The field is there (not null, not blank), or, with {@code present: false}, is not. */
    record Present(boolean present) implements Test {
        @Override
        public boolean holds(JsonNode value) {
            return (value != null) == present;
        }

        @Override
        public String asks() {
            return present ? "is present" : "is absent";
        }
    }
}
