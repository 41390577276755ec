package io.leadrouter.buyers;

import io.leadrouter.model.Buyer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuyerFileSchemaTest {

    private static final YAMLMapper YAML = new YAMLMapper();

    private static final String MINIMAL = """
            id: rcp_minimal01
            name: Minimal Buyer
            endpoint:
              url: https://example.com/leads
            mapping:
              - from: email
                to: email
            price: 10
            """;

    private final BuyerFileSchema schema = new BuyerFileSchema();

    @Test
    void everyFieldOfTheSchemaIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(schema.schema(), "", undocumented);
        assertEquals(List.of(), undocumented);
    }

    @Test
    void minimalDocumentWithDefaultsIsStillValid() throws Exception {
        ObjectNode document = (ObjectNode) YAML.readTree(MINIMAL);

        ObjectNode withDefaults = schema.withDefaults(document);

        assertEquals(List.of(), schema.validate(document));
        assertEquals(List.of(), schema.validate(withDefaults), "the schema's own defaults must satisfy the schema");
    }

    @Test
    void defaultsFillNestedSectionsAndListItems() throws Exception {
        ObjectNode document = (ObjectNode) YAML.readTree(MINIMAL + "credentials:\n  - header: X-Key-Ref\n    env: KEY\n");

        ObjectNode withDefaults = schema.withDefaults(document);

        assertEquals(3, withDefaults.at("/retry/max_attempts").intValue());
        assertEquals("POST", withDefaults.at("/endpoint/method").textValue());
        assertEquals("none", withDefaults.at("/mapping/0/transform").textValue());
        assertEquals("", withDefaults.at("/credentials/0/prefix").textValue());
        assertEquals("[200,201,202]", withDefaults.at("/response/accepted_status").toString());
        assertTrue(withDefaults.at("/response/accept_when").isMissingNode(), "an optional section without defaults stays absent");
        assertTrue(document.at("/retry").isMissingNode(), "the input document is left as it was");
    }

    @Test
    void allProblemsAreReturnedFieldsInSchemaOrderThenMissingThenUnknownFields() throws Exception {
        JsonNode document = YAML.readTree("""
                colour: blue
                id: nope
                enabled: "yes"
                endpoint:
                  timeout_ms: 0
                mapping:
                  - 42
                  - to: x
                    value: [1]
                price: -1
                retry:
                  max_delay_ms: 99999999999999999999
                """);

        assertEquals(List.of(
                "id: must match ^rcp_[A-Za-z0-9]{4,32}$",
                "enabled: must be true or false",
                "endpoint.timeout_ms: must be at least 1",
                "endpoint.url: is required",
                "mapping[0]: must be a mapping",
                "mapping[1].value: must be a string, a number or a boolean",
                "price: must be at least 0",
                "retry.max_delay_ms: must be at most 9223372036854775807",
                "name: is required",
                "colour: unknown field"), schema.validate(document));
    }

    @Test
    void fieldWrittenWithoutValueCountsAsAbsent() throws Exception {
        JsonNode document = YAML.readTree(MINIMAL.replace("name: Minimal Buyer", "name:"));

        assertEquals(List.of("name: is required"), schema.validate(document));
    }

    @Test
    void enumMatchesIgnoringCase() throws Exception {
        JsonNode document = YAML.readTree(MINIMAL + "format: Xml\n");

        assertEquals(List.of(), schema.validate(document));
    }

    @Test
    void enumStillRefusesOtherValues() throws Exception {
        JsonNode document = YAML.readTree(MINIMAL + "format: Xmls\n");

        assertEquals(List.of("format: must be one of json, form, xml"), schema.validate(document));
    }

    @Test
    void listShorterThanMinItemsAndNestedNullFields() throws Exception {
        JsonNode document = YAML.readTree(MINIMAL + "response:\n  accepted_status: []\n  payout:\n");

        assertEquals(List.of("response.accepted_status: must not be empty"), schema.validate(document));
    }

    @Test
    void mapSchemaChecksEveryValue() throws Exception {
        JsonNode document = YAML.readTree(MINIMAL + "headers:\n  X-One: one\n  X-Two: [2]\n");

        assertEquals(List.of("headers.X-Two: must be a string"), schema.validate(document));
    }

    @Test
    void objectsWithoutAdditionalPropertiesAcceptAnyField() throws Exception {
        BuyerFileSchema open = new BuyerFileSchema(YAML.readTree("""
                type: object
                required: [a]
                properties:
                  a: {type: string, minLength: 2}
                """));

        assertEquals(List.of("a: must be at least 2 characters long"), open.validate(YAML.readTree("a: x\nextra: 1\n")));
    }

    @Test
    void theSchemaOnTheClasspathIsTheOneEditorsUse() throws Exception {
        JsonNode inRepository = new ObjectMapper().readTree(Path.of("schema/buyer.schema.json").toFile());

        assertEquals(inRepository, schema.schema());
    }

    /** Every property, at any depth, needs a title and a description: the schema is the file format's documentation. */
    private static void collectUndocumented(JsonNode schema, String path, List<String> undocumented) {
        for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
            String child = path.isEmpty() ? property.getKey() : path + "." + property.getKey();
            if (!property.getValue().hasNonNull("title") || !property.getValue().hasNonNull("description")) {
                undocumented.add(child);
            }
            collectUndocumented(property.getValue(), child, undocumented);
            if (property.getValue().has("items")) {
                collectUndocumented(property.getValue().get("items"), child + "[]", undocumented);
            }
        }
    }
}
