package io.leadrouter.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.support.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes JSON answers of the HTTP API: one shape for every error, {@code {"error": "...", "status": N}};
 * a 503 (the router cannot answer now) also says when to try again ({@code Retry-After}).
 */
public final class JsonResponses {

    private static final ObjectMapper JSON = Json.MAPPER;
    /** Seconds a client is asked to wait after a 503. */
    public static final String RETRY_AFTER_SECONDS = "5";

    private JsonResponses() {
    }

    public static void respond(Exchange exchange, int status, JsonNode body) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        if (status == 503) {
            message.setHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        message.setBody(body.toString());
    }

    public static void error(Exchange exchange, int status, String problem) {
        respond(exchange, status, errorBody(status, problem));
    }

    /** The error shape, for answers written outside a Camel exchange (the HTTP server's own). */
    public static ObjectNode errorBody(int status, String problem) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", problem);
        body.put("status", status);
        return body;
    }
}
