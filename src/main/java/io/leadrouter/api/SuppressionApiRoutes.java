package io.leadrouter.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.routing.SuppressionFiles;
import io.leadrouter.routing.SuppressionLists;
import io.leadrouter.security.ApiAccess;
import io.leadrouter.security.AuditLog;
import io.leadrouter.security.Caller;
import io.leadrouter.security.Role;
import io.leadrouter.support.Json;
import io.leadrouter.support.JsonResponses;
import io.leadrouter.support.Quoted;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;

/**
 * {@code POST /buyers/{id}/suppressions}: consumers the buyer must never be offered, by e-mail
 * address or phone number. Hashed on arrival (the same hashes de-duplication compares); the values
 * themselves are neither stored nor logged. A buyer key may add to its own buyer's list only.
 */
public final class SuppressionApiRoutes extends RouteBuilder {

    private static final int LARGEST_BODY = 1 << 20;
    private static final int MOST_VALUES = 10_000;
    /** The body's lists and the lead field kind each one's values are compared as. */
    private static final Map<String, String> LISTS = Map.of("emails", "email", "phones", "phone");

    @Override
    public void configure() {
        rest("/buyers").tag("buyers")
                .post("/{id}/suppressions").id("api-buyer-suppressions").routeId("api-buyer-suppressions")
                    .description("Add consumers to the buyer's suppression list (hashed on arrival): leads of theirs are not offered to it")
                    .security(ApiAccess.SCHEME, "operate,buyer")
                    .param().name("body").type(RestParamType.body)
                        .description("{\"emails\": [\"…\"], \"phones\": [\"…\"]}: at most " + MOST_VALUES + " values in all")
                    .endParam()
                    .responseMessage().code(200).message("added: how many values came and how many were new").endResponseMessage()
                    .responseMessage().code(400).message("not a suppression list: the message names the field").endResponseMessage()
                    .responseMessage().code(403).message("a buyer key, for another buyer").endResponseMessage()
                    .responseMessage().code(404).message("no such buyer").endResponseMessage()
                    .to("direct:api-buyer-suppressions");
        from("direct:api-buyer-suppressions").routeConfigurationId(ApiErrors.ID)
                .process(this::add).id("add-suppressions");
    }

    private void add(Exchange exchange) throws Exception {
        String buyerId = exchange.getMessage().getHeader("id", String.class);
        if (lookup(BuyerCatalog.class, "buyerCatalog").find(buyerId).isEmpty()) {
            JsonResponses.error(exchange, 404, "no buyer " + Quoted.shortened(String.valueOf(buyerId)));
            return;
        }
        Caller caller = ApiAccess.caller(exchange);
        if (caller.role() == Role.BUYER && !buyerId.equals(caller.recipientId())) {
            JsonResponses.error(exchange, 403, "a buyer key adds to its own buyer's suppression list only");
            return;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > LARGEST_BODY) {
            JsonResponses.error(exchange, 413, "a suppression list is at most " + LARGEST_BODY + " bytes a request");
            return;
        }
        JsonNode json;
        try {
            json = body == null || body.length == 0 ? null : Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            JsonResponses.error(exchange, 400, "the body is not JSON: " + e.getOriginalMessage());
            return;
        }
        String problem = problem(json);
        if (problem != null) {
            JsonResponses.error(exchange, 400, problem);
            return;
        }
        Map<String, List<String>> valuesByField = new java.util.HashMap<>();
        int received = 0;
        for (Map.Entry<String, String> list : LISTS.entrySet()) {
            List<String> values = new ArrayList<>();
            json.path(list.getKey()).forEach(value -> values.add(value.asText()));
            received += values.size();
            valuesByField.put(list.getValue(), values);
        }
        int added = lookup(SuppressionLists.class, "suppressionLists").add(buyerId, valuesByField);
        lookup(AuditLog.class, "auditLog").record(caller.keyId(), "buyer.suppressions_added", "buyer:" + buyerId,
                Json.MAPPER.createObjectNode().put("received", received).put("added", added));
        JsonResponses.respond(exchange, 200, Json.MAPPER.createObjectNode().put("id", buyerId).put("received", received).put("added", added));
    }

    /** What is wrong with the body, or null. */
    private static String problem(JsonNode json) {
        if (json == null || !json.isObject()) {
            return "the body must be a JSON object: {\"emails\": [...], \"phones\": [...]}";
        }
        int count = 0;
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            if (!LISTS.containsKey(field.getKey())) {
                return "unknown field " + Quoted.shortened(field.getKey()) + ": a suppression list has emails and phones";
            }
            if (!field.getValue().isArray()) {
                return field.getKey() + ": must be a list of strings";
            }
            for (int i = 0; i < field.getValue().size(); i++) {
                JsonNode value = field.getValue().get(i);
                if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > 320) {
                    return field.getKey() + "[" + i + "]: must be a non-blank string of at most 320 characters";
                }
                // a value that could never match a lead (an e-mail among the phones, "n/a") is refused, not stored
                if (!LISTS.get(field.getKey()).equals(SuppressionFiles.kindOf(value.asText().strip()))) {
                    return field.getKey() + "[" + i + "]: not " + (field.getKey().equals("emails") ? "an e-mail address" : "a phone number (7 to 15 digits)");
                }
            }
            count += field.getValue().size();
        }
        if (count == 0) {
            return "no values: give emails, phones or both";
        }
        return count > MOST_VALUES ? "at most " + MOST_VALUES + " values a request (found " + count + ")" : null;
    }

    private <T> T lookup(Class<T> type, String name) {
        return getContext().getRegistry().lookupByNameAndType(name, type);
    }
}
