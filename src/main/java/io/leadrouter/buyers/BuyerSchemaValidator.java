package io.leadrouter.buyers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a document against the JSON Schema subset used by {@code buyers/buyer.schema.yaml}, and
 * fills in the schema's defaults. Every problem is reported, not only the first, each as
 * {@code "<field path>: <what is wrong>"} (for example {@code mapping[2].to: is required}), in
 * schema order followed by unknown fields.
 *
 * <p>Deliberate differences from JSON Schema, for hand-written YAML: a field set to null
 * ({@code tier:} with nothing after it) counts as absent, and {@code enum} matches strings
 * ignoring case. The schema itself is checked when the validator is built, so a keyword this
 * subset does not understand fails at startup instead of being silently ignored.
 *
 * <p>Thread-safe: holds only the schema and a cache of compiled patterns.
 */
public final class BuyerSchemaValidator {

    /** Classpath location of the buyer file schema. */
    public static final String SCHEMA_RESOURCE = "/buyers/buyer.schema.yaml";

    private static final Set<String> TYPES = Set.of("object", "array", "string", "integer", "number", "boolean");
    private static final Set<String> KEYWORDS = Set.of(
            "type", "required", "properties", "additionalProperties", "items", "enum", "pattern",
            "minimum", "maximum", "minLength", "minItems", "default",
            "title", "description", "examples");

    private final JsonNode schema;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    /** Uses the buyer file schema from the classpath. */
    public BuyerSchemaValidator() {
        this(loadBuyerSchema());
    }

    /**
     * @throws IllegalArgumentException if the schema uses a keyword or type this subset does not support
     */
    public BuyerSchemaValidator(JsonNode schema) {
        checkSchema(schema, "");
        this.schema = schema;
    }

    public JsonNode schema() {
        return schema;
    }

    /** Returns every problem of the document, or an empty list if it conforms. */
    public List<String> validate(JsonNode document) {
        List<String> problems = new ArrayList<>();
        check(document, schema, "", problems);
        return List.copyOf(problems);
    }

    /**
     * Returns a copy of the document with the schema's defaults filled in wherever a field is
     * absent or null. An object with {@code default: {}} is created and then filled in turn, so
     * an absent {@code retry:} section gets every retry default.
     */
    public ObjectNode withDefaults(ObjectNode document) {
        ObjectNode copy = document.deepCopy();
        fillDefaults(copy, schema);
        return copy;
    }

    // ---- validation ----

    private void check(JsonNode value, JsonNode schema, String path, List<String> problems) {
        JsonNode type = schema.get("type");
        if (type != null && !hasType(value, type)) {
            problems.add(problem(path, "must be " + describeType(type)));
            return; // the other keywords assume the right type
        }
        checkEnum(value, schema, path, problems);
        if (value.isTextual()) {
            checkString(value.textValue(), schema, path, problems);
        } else if (value.isNumber()) {
            checkNumber(value, schema, path, problems);
        } else if (value.isArray()) {
            checkArray(value, schema, path, problems);
        } else if (value.isObject()) {
            checkObject(value, schema, path, problems);
        }
    }

    private void checkEnum(JsonNode value, JsonNode schema, String path, List<String> problems) {
        JsonNode allowed = schema.get("enum");
        if (allowed == null) {
            return;
        }
        for (JsonNode candidate : allowed) {
            boolean sameText = value.isTextual() && candidate.isTextual() && value.textValue().equalsIgnoreCase(candidate.textValue());
            if (sameText || value.equals(candidate)) {
                return;
            }
        }
        problems.add(problem(path, "must be one of " + join(allowed)));
    }

    private void checkString(String text, JsonNode schema, String path, List<String> problems) {
        JsonNode minLength = schema.get("minLength");
        if (minLength != null && text.length() < minLength.intValue()) {
            problems.add(problem(path, minLength.intValue() == 1 ? "must not be empty" : "must be at least " + minLength.intValue() + " characters long"));
        }
        JsonNode pattern = schema.get("pattern");
        // JSON Schema semantics: the pattern is searched, so a pattern that must cover the whole text is anchored
        if (pattern != null && !compiled(pattern.textValue()).matcher(text).find()) {
            problems.add(problem(path, "must match " + pattern.textValue()));
        }
    }

    private void checkNumber(JsonNode value, JsonNode schema, String path, List<String> problems) {
        if (value.isIntegralNumber() && !value.canConvertToLong()) {
            problems.add(problem(path, "is too large"));
            return;
        }
        JsonNode minimum = schema.get("minimum");
        if (minimum != null && value.decimalValue().compareTo(minimum.decimalValue()) < 0) {
            problems.add(problem(path, "must be at least " + minimum.asText()));
        }
        JsonNode maximum = schema.get("maximum");
        if (maximum != null && value.decimalValue().compareTo(maximum.decimalValue()) > 0) {
            problems.add(problem(path, "must be at most " + maximum.asText()));
        }
    }

    private void checkArray(JsonNode array, JsonNode schema, String path, List<String> problems) {
        JsonNode minItems = schema.get("minItems");
        if (minItems != null && array.size() < minItems.intValue()) {
            problems.add(problem(path, minItems.intValue() == 1 ? "must not be empty" : "must have at least " + minItems.intValue() + " entries"));
        }
        JsonNode items = schema.get("items");
        if (items != null) {
            for (int i = 0; i < array.size(); i++) {
                check(array.get(i), items, path + "[" + i + "]", problems);
            }
        }
    }

    private void checkObject(JsonNode object, JsonNode schema, String path, List<String> problems) {
        JsonNode properties = schema.path("properties");
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(name -> required.add(name.textValue()));
        // required names without a properties entry are still required
        for (String name : required) {
            if (!properties.has(name) && isAbsent(object.get(name))) {
                problems.add(problem(child(path, name), "is required"));
            }
        }
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            JsonNode value = object.get(property.getKey());
            if (!isAbsent(value)) {
                check(value, property.getValue(), child(path, property.getKey()), problems);
            } else if (required.contains(property.getKey())) {
                problems.add(problem(child(path, property.getKey()), "is required"));
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (properties.has(field.getKey()) || additional == null || additional.isBoolean() && additional.booleanValue()) {
                continue;
            }
            if (additional.isObject()) {
                check(field.getValue(), additional, child(path, field.getKey()), problems);
            } else {
                problems.add(problem(child(path, field.getKey()), "unknown field"));
            }
        }
    }

    private static boolean hasType(JsonNode value, JsonNode type) {
        if (type.isArray()) {
            for (JsonNode one : type) {
                if (hasType(value, one)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.textValue()) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> throw new IllegalStateException("unchecked schema type " + type);
        };
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

    // ---- defaults ----

    private static void fillDefaults(JsonNode value, JsonNode schema) {
        if (value instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
                JsonNode defaultValue = property.getValue().get("default");
                if (defaultValue != null && isAbsent(object.get(property.getKey()))) {
                    object.set(property.getKey(), defaultValue.deepCopy());
                }
                JsonNode filled = object.get(property.getKey());
                if (filled != null) {
                    fillDefaults(filled, property.getValue());
                }
            }
        } else if (value instanceof ArrayNode array && schema.has("items")) {
            array.forEach(item -> fillDefaults(item, schema.get("items")));
        }
    }

    // ---- the schema itself ----

    private void checkSchema(JsonNode schema, String path) {
        if (!schema.isObject()) {
            throw badSchema(path, "must be a mapping");
        }
        schema.fieldNames().forEachRemaining(keyword -> {
            if (!KEYWORDS.contains(keyword)) {
                throw badSchema(path, "unsupported keyword '" + keyword + "'");
            }
        });
        JsonNode type = schema.get("type");
        if (type != null) {
            for (JsonNode one : type.isArray() ? type : List.of(type)) {
                if (!TYPES.contains(one.asText())) {
                    throw badSchema(path, "unsupported type '" + one.asText() + "'");
                }
            }
        }
        if (schema.has("pattern")) {
            try {
                compiled(schema.get("pattern").asText());
            } catch (PatternSyntaxException e) {
                throw badSchema(path, "pattern does not compile: " + e.getDescription());
            }
        }
        schema.path("properties").properties().forEach(p -> checkSchema(p.getValue(), child(path, p.getKey())));
        if (schema.has("items")) {
            checkSchema(schema.get("items"), path + "[]");
        }
        if (schema.path("additionalProperties").isObject()) {
            checkSchema(schema.get("additionalProperties"), child(path, "*"));
        }
    }

    private static IllegalArgumentException badSchema(String path, String message) {
        return new IllegalArgumentException("buyer schema: " + problem(path, message));
    }

    private static JsonNode loadBuyerSchema() {
        try (InputStream in = BuyerSchemaValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("buyer schema not found on the classpath at " + SCHEMA_RESOURCE);
            }
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the buyer schema " + SCHEMA_RESOURCE, e);
        }
    }

    // ---- small helpers ----

    private Pattern compiled(String regex) {
        return patterns.computeIfAbsent(regex, Pattern::compile);
    }

    /** A YAML field written with no value is null: treat it as not written at all. */
    private static boolean isAbsent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
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
