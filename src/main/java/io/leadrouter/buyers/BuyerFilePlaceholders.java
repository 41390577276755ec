package io.leadrouter.buyers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;

/**
 * Resolves Camel property placeholders in the text values of a buyer file, for example
 * {@code url: "{{leadrouter.sandbox.url}}/sandbox/accept"}, before the file is checked, so that the
 * checks see the values the buyer is built from. A placeholder that cannot be resolved is a
 * problem of its field, like any other; so is one that names anything but {@code leadrouter.sandbox.*}
 * or the operator's own {@code buyer.*} properties.
 */
public final class BuyerFilePlaceholders {

    /** Leaves every value as written (for files that must not depend on a router's properties). */
    public static final BuyerFilePlaceholders NONE = new BuyerFilePlaceholders(UnaryOperator.identity());

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^{}]*)\\}\\}");
    private static final Pattern ALLOWED = Pattern.compile("(leadrouter\\.sandbox|buyer)\\.[A-Za-z0-9_.-]+");

    private final UnaryOperator<String> resolver;

    /** @param resolver answers the text with its placeholders resolved, or throws IllegalArgumentException */
    BuyerFilePlaceholders(UnaryOperator<String> resolver) {
        this.resolver = resolver;
    }

    /** With the router's properties (application.properties, system properties, environment). */
    public static BuyerFilePlaceholders of(CamelContext context) {
        return new BuyerFilePlaceholders(context::resolvePropertyPlaceholders);
    }

    /** Replaces the placeholders of {@code document} in place; answers a problem for each value that cannot be resolved. */
    public List<String> resolve(ObjectNode document) {
        List<String> problems = new ArrayList<>();
        resolveObject(document, "", problems);
        return problems;
    }

    private void resolveObject(ObjectNode object, String path, List<String> problems) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String fieldPath = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode resolved = resolveNode(field.getValue(), fieldPath, problems);
            if (resolved != field.getValue()) {
                field.setValue(resolved);
            }
        }
    }

    /**
     * The first placeholder that names anything but the sandbox's properties or the operator's own
     * {@code buyer.*} ones: a buyer file must not be able to send the router's environment (a
     * database password, a cloud token) to a buyer.
     */
    private static Optional<String> forbiddenPlaceholder(String text) {
        Matcher placeholder = PLACEHOLDER.matcher(text);
        while (placeholder.find()) {
            if (!ALLOWED.matcher(placeholder.group(1)).matches()) {
                return Optional.of(placeholder.group(1));
            }
        }
        return text.replaceAll("\\{\\{[^{}]*\\}\\}", "").contains("{{") ? Optional.of(text) : Optional.empty();
    }

    private JsonNode resolveNode(JsonNode value, String path, List<String> problems) {
        if (value instanceof ObjectNode object) {
            resolveObject(object, path, problems);
        } else if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, resolveNode(array.get(i), path + "[" + i + "]", problems));
            }
        } else if (value.isTextual() && value.textValue().contains("{{")) {
            Optional<String> forbidden = forbiddenPlaceholder(value.textValue());
            if (forbidden.isPresent()) {
                problems.add(path + ": placeholder {{" + forbidden.get() + "}} is not allowed: buyer files may name"
                        + " leadrouter.sandbox.* and buyer.* properties only, never env:, sys: or other functions");
                return value;
            }
            try {
                return TextNode.valueOf(resolver.apply(value.textValue()));
            } catch (IllegalArgumentException e) {
                problems.add(path + ": " + e.getMessage());
            }
        }
        return value;
    }
}
