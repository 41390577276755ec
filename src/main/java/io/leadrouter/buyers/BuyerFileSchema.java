package io.leadrouter.buyers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.walk.ApplyDefaultsStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The buyer file schema ({@code schema/buyer.schema.json}, JSON Schema 2020-12): checks a
 * document against it and fills in its defaults. Problems come out as
 * {@code "<field path>: <what is wrong>"} ({@link SchemaProblems}).
 *
 * <p>Thread-safe: the compiled schema is immutable.
 */
public final class BuyerFileSchema {

    /** Classpath location of the buyer file schema; the same file editors use from the repository. */
    public static final String SCHEMA_RESOURCE = "/schema/buyer.schema.json";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final ApplyDefaultsStrategy FILL_ABSENT_AND_NULL = new ApplyDefaultsStrategy(true, true, false);

    private final Schema schema;

    /** Uses the buyer file schema from the classpath. */
    public BuyerFileSchema() {
        this(loadBuyerSchema());
    }

    public BuyerFileSchema(JsonNode schema) {
        this(REGISTRY.getSchema(schema));
    }

    private BuyerFileSchema(Schema schema) {
        this.schema = schema;
    }

    public JsonNode schema() {
        return schema.getSchemaNode();
    }

    /** Returns every problem of the document, or an empty list if it conforms. */
    public List<String> validate(JsonNode document) {
        return SchemaProblems.describe(schema.validate(withoutNullFields(document)));
    }

    /**
     * Returns a copy of the document with the schema's defaults filled in wherever a field is
     * absent or null. An object with {@code "default": {}} is created and then filled in turn,
     * so an absent {@code retry:} section gets every retry default.
     */
    public ObjectNode withDefaults(ObjectNode document) {
        ObjectNode copy = document.deepCopy();
        schema.walk(copy, false, context -> context.walkConfig(walk -> walk.applyDefaultsStrategy(FILL_ABSENT_AND_NULL)));
        return copy;
    }

    /** A YAML field written with no value ({@code tier:}) is null: it counts as not written at all. */
    private static JsonNode withoutNullFields(JsonNode value) {
        JsonNode copy = value.deepCopy();
        removeNullFields(copy);
        return copy;
    }

    private static void removeNullFields(JsonNode value) {
        if (value instanceof ObjectNode object) {
            object.properties().removeIf(field -> field.getValue().isNull());
        }
        if (value instanceof ObjectNode || value instanceof ArrayNode) {
            value.forEach(BuyerFileSchema::removeNullFields);
        }
    }

    private static Schema loadBuyerSchema() {
        try (InputStream in = Objects.requireNonNull(BuyerFileSchema.class.getResourceAsStream(SCHEMA_RESOURCE),
                () -> "buyer schema not found on the classpath at " + SCHEMA_RESOURCE)) {
            return REGISTRY.getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the buyer schema " + SCHEMA_RESOURCE, e);
        }
    }
}
