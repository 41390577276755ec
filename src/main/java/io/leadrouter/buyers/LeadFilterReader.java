package io.leadrouter.buyers;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.leadrouter.model.LeadFilter;
import io.leadrouter.model.LeadFilter.Condition;
import io.leadrouter.model.LeadFilter.Test;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a buyer file's {@code accept_if} into a {@link LeadFilter}, and names every rule that could
 * not be evaluated: an unknown operator, two tests in one condition, a regular expression RE2 does
 * not take (RE2 has no back-references or look-arounds: that is what keeps it linear-time).
 */
final class LeadFilterReader {

    private static final Set<String> TESTS = Set.of("equals", "not_equals", "in", "not_in", "min", "max", "matches", "present");
    private static final Set<String> GROUPS = Set.of("all", "any");
    /** all / any groups nest at most this deep: a filter stays quick to read and to evaluate. */
    static final int MOST_NESTING = 8;
    /** RE2 runs in time linear in the value, times the compiled program: these bound the program. */
    static final int LONGEST_REGEX = 1000;
    static final int LARGEST_REGEX_PROGRAM = 2000;
    /** Counted repetitions ({@code {1000}}) multiply into at most this many copies of an atom, checked before compiling. */
    static final long MOST_REPEATED_COPIES = 1000;

    private final List<String> problems = new ArrayList<>();

    /** The filter of an {@code accept_if} list (absent: every lead); problems go to {@link #problems()}. */
    LeadFilter read(JsonNode acceptIf) {
        if (acceptIf == null || acceptIf.isNull() || acceptIf.isMissingNode()) {
            return LeadFilter.ACCEPT_ALL;
        }
        if (!acceptIf.isArray()) {
            problems.add("accept_if: must be a list of conditions");
            return LeadFilter.ACCEPT_ALL;
        }
        return new LeadFilter.All("accept_if", conditions(acceptIf, "accept_if", 0));
    }

    List<String> problems() {
        return problems;
    }

    private List<LeadFilter> conditions(JsonNode list, String path, int depth) {
        List<LeadFilter> conditions = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            LeadFilter condition = condition(list.get(i), path + "[" + i + "]", depth);
            if (condition != null) {
                conditions.add(condition);
            }
        }
        return conditions;
    }

    private LeadFilter condition(JsonNode node, String rule, int depth) {
        if (!node.isObject()) {
            problems.add(rule + ": must be a mapping (field and a test, or all / any)");
            return null;
        }
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        Set<String> groups = new TreeSet<>(keys);
        groups.retainAll(GROUPS);
        if (!groups.isEmpty()) {
            return group(node, rule, keys, groups, depth + 1);
        }
        Set<String> unknown = new TreeSet<>(keys);
        unknown.removeAll(TESTS);
        unknown.remove("field");
        if (!unknown.isEmpty()) {
            problems.add(rule + ": unknown operator " + String.join(", ", unknown) + " (known: field with one of "
                    + String.join(", ", new TreeSet<>(TESTS)) + "; or all / any)");
            return null;
        }
        JsonNode field = node.get("field");
        if (field == null || !field.isTextual() || field.asText().isBlank()) {
            problems.add(rule + ": must name the lead field it tests (field: state)");
            return null;
        }
        Set<String> tests = new TreeSet<>(keys);
        tests.retainAll(TESTS);
        boolean range = !tests.isEmpty() && Set.of("min", "max").containsAll(tests);
        if (tests.isEmpty() || (tests.size() > 1 && !range)) {
            problems.add(rule + ": must have exactly one test (found " + (tests.isEmpty() ? "none" : String.join(", ", tests)) + ")");
            return null;
        }
        Test test = range ? range(node, rule) : test(tests.iterator().next(), node, rule);
        return test == null ? null : new Condition(rule, field.asText(), test);
    }

    private LeadFilter group(JsonNode node, String rule, Set<String> keys, Set<String> groups, int depth) {
        if (depth > MOST_NESTING) {
            problems.add(rule + ": groups nest at most " + MOST_NESTING + " deep");
            return null;
        }
        if (keys.size() > 1) {
            problems.add(rule + ": a group has " + String.join(" or ", GROUPS) + " alone (found " + String.join(", ", keys) + ")");
            return null;
        }
        String kind = groups.iterator().next();
        JsonNode list = node.get(kind);
        String path = rule + "." + kind;
        if (!list.isArray() || list.isEmpty()) {
            problems.add(path + ": must be a non-empty list of conditions");
            return null;
        }
        List<LeadFilter> members = conditions(list, path, depth);
        return kind.equals("all") ? new LeadFilter.All(path, members) : new LeadFilter.Any(path, members);
    }

    private Test test(String name, JsonNode node, String rule) {
        JsonNode operand = node.get(name);
        String path = rule + "." + name;
        return switch (name) {
            case "equals", "not_equals" -> scalar(operand, path) == null ? null
                    : new LeadFilter.OneOf(List.of(scalar(operand, path)), name.equals("not_equals"));
            case "in", "not_in" -> oneOf(operand, path, name.equals("not_in"));
            case "matches" -> matches(operand, path);
            case "present" -> {
                if (!operand.isBoolean()) {
                    problems.add(path + ": must be true or false");
                    yield null;
                }
                yield new LeadFilter.Present(operand.booleanValue());
            }
            default -> throw new IllegalStateException("unhandled test " + name);
        };
    }

    private Test oneOf(JsonNode operand, String path, boolean negated) {
        if (!operand.isArray() || operand.isEmpty()) {
            problems.add(path + ": must be a non-empty list of values");
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < operand.size(); i++) {
            String value = scalar(operand.get(i), path + "[" + i + "]");
            if (value == null) {
                return null;
            }
            values.add(value);
        }
        return new LeadFilter.OneOf(values, negated);
    }

    private Test range(JsonNode node, String rule) {
        BigDecimal min = bound(node.get("min"), rule + ".min");
        BigDecimal max = bound(node.get("max"), rule + ".max");
        if ((node.has("min") && min == null) || (node.has("max") && max == null)) {
            return null;
        }
        if (min != null && max != null && min.compareTo(max) > 0) {
            problems.add(rule + ": min " + min.toPlainString() + " is above max " + max.toPlainString());
            return null;
        }
        return new LeadFilter.Range(min, max);
    }

    private BigDecimal bound(JsonNode value, String path) {
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            problems.add(path + ": must be a number");
            return null;
        }
        return value.decimalValue();
    }

    private Test matches(JsonNode operand, String path) {
        if (!operand.isTextual()) {
            problems.add(path + ": must be a regular expression (text)");
            return null;
        }
        if (operand.asText().length() > LONGEST_REGEX) {
            problems.add(path + ": a regular expression is at most " + LONGEST_REGEX + " characters");
            return null;
        }
        long copies = RegexRepetitions.copies(operand.asText());
        if (copies > MOST_REPEATED_COPIES) {
            problems.add(path + ": its counted repetitions make " + copies + " copies of a part (at most " + MOST_REPEATED_COPIES
                    + "): every lead's match would be slow");
            return null;
        }
        try {
            Pattern pattern = Pattern.compile(operand.asText());
            if (pattern.programSize() > LARGEST_REGEX_PROGRAM) {
                problems.add(path + ": too large once compiled (" + pattern.programSize() + " instructions, at most "
                        + LARGEST_REGEX_PROGRAM + "): a repetition such as {1000} makes every lead's match slow");
                return null;
            }
            return new LeadFilter.Matches(pattern);
        } catch (PatternSyntaxException e) {
            problems.add(path + ": not a regular expression the linear-time engine (RE2) takes: " + e.getDescription());
            return null;
        }
    }

    private String scalar(JsonNode value, String path) {
        if (value == null || !value.isValueNode() || value.isNull()) {
            problems.add(path + ": must be a value (text, number or true/false)");
            return null;
        }
        return value.asText();
    }
}
