package io.leadrouter.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * The router's one JSON configuration: money keeps its written scale (45.00 stays 45.00, not 45.0
 * or 45). Mappers that need more (a YAML reader, tighter read limits) start from {@link #configure}.
 */
public final class Json {

    /** Thread-safe once built; shared by everything that reads or writes JSON the router's way. */
    public static final ObjectMapper MAPPER = configure(JsonMapper.builder()).build();

    private Json() {
    }

    /** Applies the router's settings to any Jackson mapper builder (JSON, YAML, a custom factory). */
    public static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
        return builder
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    }

    /** A field of a lead by its dotted path (consent.ip), or a missing node. */
    public static JsonNode at(JsonNode node, String dottedPath) {
        JsonNode found = node;
        for (String part : dottedPath.split("\\.")) {
            found = found.path(part);
        }
        return found;
    }
}
