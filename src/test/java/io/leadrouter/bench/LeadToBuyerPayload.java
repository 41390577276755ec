package io.leadrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The camel-proxy's mapping, written as a Camel user would write it for one buyer: Jackson in, the
 * buyer's fields out. It makes the same bytes as the bench buyer's mapping in the router
 * ({@link BenchBuyerFiles}, {@link BaselinePayload}), which the benchmark checks on the stub buyer.
 */
final class LeadToBuyerPayload implements Processor {

    static final String CONTENT_TYPE = "application/json; charset=UTF-8";

    private final ObjectMapper json = new ObjectMapper();

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        JsonNode lead = json.readTree(message.getBody(byte[].class));
        ObjectNode payload = json.createObjectNode()
                .put("firstName", lead.path("first_name").asText())
                .put("lastName", lead.path("last_name").asText())
                .put("email", lead.path("email").asText().toLowerCase(Locale.ROOT))
                .put("phone", lead.path("phone").asText().replaceAll("\\D", ""))
                .put("state", lead.path("state").asText().toUpperCase(Locale.ROOT))
                .put("source", "lead-router");
        message.setBody(json.writeValueAsBytes(payload));
        message.setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
    }
}
