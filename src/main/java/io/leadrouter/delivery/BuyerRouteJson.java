package io.leadrouter.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.model.Buyer.ResponseType;
import io.leadrouter.support.Json;
import java.math.BigDecimal;
import java.util.Map;

/**
 * JSON for buyers' route files, which have no JSON data format of their own here (registry name
 * {@code buyerJson}): {@code pick} writes some of the lead's fields as a JSON object (a ping's partial
 * lead), {@code read} reads a value from a buyer's JSON answer (a ping's bid). Thread-safe.
 */
public final class BuyerRouteJson {

    /** The named fields (comma-separated), in that order, as a JSON object; a field the lead lacks is left out. */
    public String pick(Map<String, Object> fields, String names) throws JsonProcessingException {
        ObjectNode picked = Json.MAPPER.createObjectNode();
        for (String name : names.split(",")) {
            String field = name.strip();
            if (fields.get(field) != null) {
                picked.set(field, Json.MAPPER.valueToTree(fields.get(field)));
            }
        }
        return Json.MAPPER.writeValueAsString(picked);
    }

    /**
     * The value at a JSONPath of a JSON text: a number as a BigDecimal (so that the route can compare it
     * with {@code buyerFloor}), else the text; null when absent or unreadable.
     */
    public Object read(String json, String path) {
        String value = new ResponseBody(ResponseType.JSON, json).valueAtIfReadable(path).orElse(null);
        if (value == null) {
            return null;
        }
        try {
            return new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
            return value;
        }
    }
}
