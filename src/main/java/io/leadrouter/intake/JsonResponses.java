package io.leadrouter.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** Writes JSON answers of the HTTP API: one shape for every error, {@code {"error": "...", "status": N}}. */
public final class JsonResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonResponses() {
    }

    public static void respond(Exchange exchange, int status, JsonNode body) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(body.toString());
    }

    public static void error(Exchange exchange, int status, String problem) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", problem);
        body.put("status", status);
        respond(exchange, status, body);
    }
}
