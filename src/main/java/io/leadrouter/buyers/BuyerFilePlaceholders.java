package io.leadrouter.buyers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.camel.CamelContext;

/**
 * Resolves Camel property placeholders in the text values of a buyer file, for example
 * {@code url: "{{leadrouter.sandbox.url}}/sandbox/accept"}, before the file is checked, so that the
 * checks see the values the buyer is built from. A placeholder that cannot be resolved is a
 * problem of its field, like any other.
 */
public final class BuyerFilePlaceholders {

    /** Leaves every value as written (for files that must not depend on a router's properties). */
    public static final BuyerFilePlaceholders NONE = new BuyerFilePlaceholders(UnaryOperator.identity());

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

    private JsonNode resolveNode(JsonNode value, String path, List<String> problems) {
        if (value instanceof ObjectNode object) {
            resolveObject(object, path, problems);
        } else if (value instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, resolveNode(array.get(i), path + "[" + i + "]", problems));
            }
        } else if (value.isTextual() && value.textValue().contains("{{")) {
            try {
                return TextNode.valueOf(resolver.apply(value.textValue()));
            } catch (IllegalArgumentException e) {
                problems.add(path + ": " + e.getMessage());
            }
        }
        return value;
    }
}
