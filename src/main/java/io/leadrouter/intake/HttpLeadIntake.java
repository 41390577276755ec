package io.leadrouter.intake;

import io.leadrouter.support.JsonResponses;
import io.leadrouter.model.Lead;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /leads}: checks the request, stores the lead, and only then answers 202 with its id.
 * A refused request stores nothing and emits no event; {@link InvalidLeadException} carries its
 * status to the API's error answers.
 */
public final class HttpLeadIntake implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(HttpLeadIntake.class);

    private final LeadParser parser;
    private final LeadInserts store;
    private final LeadDispatcher dispatcher;
    private final ObjectMapper json;
    private final Clock clock;

    public HttpLeadIntake(LeadParser parser, LeadInserts store, LeadDispatcher dispatcher, ObjectMapper json, Clock clock) {
        this.parser = parser;
        this.store = store;
        this.dispatcher = dispatcher;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws InvalidLeadException {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (!isJson(contentType)) {
            throw new InvalidLeadException(415, "Content-Type must be application/json, got "
                    + (contentType == null ? "none" : contentType));
        }
        Lead lead = parser.parse(exchange.getMessage().getBody(byte[].class), clock.instant());
        LeadStore.Stored stored;
        try {
            stored = store.insert(lead, "http");
        } catch (SQLException e) {
            LOG.debug("Lead store unavailable, lead refused with 503: {}", e.getMessage());
            JsonResponses.error(exchange, 503, "the lead store is unavailable; the lead was not accepted, try again later");
            return;
        }
        switch (stored) {
            case NEW -> dispatcher.dispatch(lead, "http");
            case REPEAT -> LOG.debug("Lead {} posted again with the same payload", lead.leadId());
            case CONFLICT -> throw new InvalidLeadException(409, LeadStore.conflict(lead.leadId()));
        }
        JsonResponses.respond(exchange, 202, json.createObjectNode().put("lead_id", lead.leadId()));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }
}
