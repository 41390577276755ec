package io.leadrouter.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.buyers.Buyer;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.buyers.BuyerFileWatcher;
import io.leadrouter.delivery.DeadLetterReplay;
import io.leadrouter.delivery.DeadLetters;
import io.leadrouter.delivery.HttpEndpoints;
import io.leadrouter.events.EventJson;
import io.leadrouter.events.EventStore;
import io.leadrouter.intake.JsonResponses;
import io.leadrouter.intake.LeadIds;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/** The read and operations side of the HTTP API: events of a lead, dead letters, buyers. */
public final class ApiRoutes extends RouteBuilder {

    private final ObjectMapper json = EventJson.mapper();

    @Override
    public void configure() {
        onException(Exception.class).handled(true)
                .log(org.apache.camel.LoggingLevel.ERROR, "API request failed: ${exception.message}")
                .process(e -> JsonResponses.error(e, 503, "the router could not answer: " + rootMessage(e)));

        from("platform-http:/leads/{leadId}/events?httpMethodRestrict=GET").routeId("api-lead-events")
                .process(this::leadEvents);

        from("platform-http:/dead-letters?httpMethodRestrict=GET").routeId("api-dead-letters")
                .process(e -> JsonResponses.respond(e, 200, lookup(DeadLetters.class, "deadLetters").listPending()));

        from("platform-http:/dead-letters/{id}/replay?httpMethodRestrict=POST").routeId("api-dead-letter-replay")
                .process(this::replay);

        from("platform-http:/buyers?httpMethodRestrict=GET").routeId("api-buyers")
                .process(this::buyers);
    }

    private void leadEvents(Exchange exchange) throws Exception {
        String leadId = exchange.getMessage().getHeader("leadId", String.class);
        if (!LeadIds.isValid(leadId)) {
            JsonResponses.error(exchange, 404, "no lead " + leadId + ": lead ids are 'lead_' and 16 letters or digits");
            return;
        }
        var events = lookup(EventStore.class, "eventStore").eventsOfLead(leadId);
        if (events.isEmpty()) {
            JsonResponses.error(exchange, 404, "no lead " + leadId);
        } else {
            JsonResponses.respond(exchange, 200, events.get());
        }
    }

    private void replay(Exchange exchange) throws Exception {
        String id = exchange.getMessage().getHeader("id", String.class);
        long deadLetterId;
        try {
            deadLetterId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            JsonResponses.error(exchange, 404, "no dead letter " + id);
            return;
        }
        DeadLetterReplay.Result result = lookup(DeadLetterReplay.class, "deadLetterReplay").replay(deadLetterId);
        switch (result) {
            case STARTED -> JsonResponses.respond(exchange, 202,
                    json.createObjectNode().put("dead_letter_id", deadLetterId).put("status", "replaying"));
            case NOT_FOUND -> JsonResponses.error(exchange, 404, "no pending dead letter " + deadLetterId);
            case BUYER_GONE -> JsonResponses.error(exchange, 409,
                    "dead letter " + deadLetterId + " cannot be replayed: its buyer is no longer configured");
            case SOLD -> JsonResponses.error(exchange, 409,
                    "dead letter " + deadLetterId + " cannot be replayed: the lead was sold, and this buyer may not have it now");
        }
    }

    private void buyers(Exchange exchange) {
        BuyerCatalog catalog = lookup(BuyerCatalog.class, "buyerCatalog");
        ObjectNode body = json.createObjectNode();
        ArrayNode active = body.putArray("buyers");
        for (Buyer buyer : catalog.all()) {
            active.addObject()
                    .put("id", buyer.id()).put("name", buyer.name()).put("tier", buyer.tier())
                    .put("enabled", buyer.enabled()).put("exclusive", buyer.exclusive())
                    .put("priority", buyer.priority()).put("price", buyer.price())
                    .put("url", HttpEndpoints.displayUrl(buyer)).put("file", buyer.sourceFile().getFileName().toString());
        }
        ArrayNode files = body.putArray("files");
        for (Map.Entry<Path, BuyerFileWatcher.FileState> file : lookup(BuyerFileWatcher.class, "buyerFileWatcher").fileStates().entrySet()) {
            files.addObject()
                    .put("file", file.getKey().getFileName().toString())
                    .put("buyer_id", file.getValue().buyerId())
                    .put("problem", file.getValue().problem());
        }
        JsonResponses.respond(exchange, 200, body);
    }

    private <T> T lookup(Class<T> type, String name) {
        return getContext().getRegistry().lookupByNameAndType(name, type);
    }

    private static String rootMessage(Exchange exchange) {
        Throwable t = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        while (t != null && t.getCause() != null) {
            t = t.getCause();
        }
        return t == null ? "unknown error" : t.getClass().getSimpleName();
    }
}
