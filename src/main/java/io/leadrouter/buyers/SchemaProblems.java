package io.leadrouter.buyers;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;

/**
 * Words the JSON Schema validator's errors the way buyer file problems have always been
 * written: {@code "<dotted field path>: <what is wrong>"}, for example
 * {@code mapping[2].to: is required} or {@code endpoint.url: must match ^(http|https)://.*}.
 */
final class SchemaProblems {

    private SchemaProblems() {
    }

    static List<String> describe(List<Error> errors) {
        List<String> problems = new ArrayList<>();
        for (Error error : errors) {
            if (!isEnumCaseMismatch(error)) {
                problems.add(describe(error));
            }
        }
        return List.copyOf(problems);
    }

    private static String describe(Error error) {
        String path = path(error.getInstanceLocation());
        JsonNode limit = error.getSchemaNode();
        return switch (error.getKeyword()) {
            case "required" -> problem(child(path, error.getProperty()), "is required");
            case "additionalProperties" -> problem(child(path, error.getProperty()), "unknown field");
            case "type" -> problem(path, "must be " + describeType(limit));
            case "enum" -> problem(path, "must be one of " + join(limit));
            case "pattern" -> problem(path, "must match " + limit.textValue());
            case "minimum" -> problem(path, "must be at least " + limit.asText());
            case "maximum" -> problem(path, "must be at most " + limit.asText());
            case "minLength" -> problem(path, limit.intValue() == 1 ? "must not be empty" : "must be at least " + limit.intValue() + " characters long");
            case "minItems" -> problem(path, limit.intValue() == 1 ? "must not be empty" : "must have at least " + limit.intValue() + " entries");
            default -> problem(path, error.getMessage());
        };
    }

    /** Enum values are matched ignoring case, so {@code format: XML} in a hand-written file is fine. */
    private static boolean isEnumCaseMismatch(Error error) {
        JsonNode value = error.getInstanceNode();
        if (!"enum".equals(error.getKeyword()) || value == null || !value.isTextual()) {
            return false;
        }
        for (JsonNode allowed : error.getSchemaNode()) {
            if (allowed.isTextual() && allowed.textValue().equalsIgnoreCase(value.textValue())) {
                return true;
            }
        }
        return false;
    }

    /** {@code /mapping/2/to} becomes {@code mapping[2].to}. */
    private static String path(NodePath location) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(element);
            }
        }
        return path.toString();
    }

    /** "a string", or "a string, a number or a boolean" for a list of types. */
    private static String describeType(JsonNode type) {
        if (!type.isArray()) {
            return type.textValue().equals("boolean") ? "true or false" : article(type.textValue());
        }
        List<String> names = new ArrayList<>();
        type.forEach(one -> names.add(article(one.textValue())));
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    private static String article(String type) {
        return switch (type) {
            case "object" -> "a mapping";
            case "array" -> "a list";
            case "integer" -> "an integer";
            default -> "a " + type;
        };
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String problem(String path, String message) {
        return path.isEmpty() ? message : path + ": " + message;
    }

    private static String join(JsonNode values) {
        List<String> texts = new ArrayList<>();
        values.forEach(v -> texts.add(v.asText()));
        return String.join(", ", texts);
    }
}
