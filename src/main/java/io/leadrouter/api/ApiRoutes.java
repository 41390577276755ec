package io.leadrouter.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.search.LeadAttempts;
import io.leadrouter.search.LeadDetails;
import io.leadrouter.security.ApiAccess;
import io.leadrouter.security.AuditLog;
import io.leadrouter.security.ComplianceRecords;
import io.leadrouter.security.Caller;
import io.leadrouter.security.Role;
import io.leadrouter.monitoring.AlertListing;
import io.leadrouter.routing.DeadLetterReplay;
import io.leadrouter.delivery.DeadLetters;
import io.leadrouter.events.EventJson;
import io.leadrouter.events.EventSeals;
import io.leadrouter.events.EventStore;
import io.leadrouter.support.JsonResponses;
import io.leadrouter.intake.LeadIds;
import io.leadrouter.support.Json;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.apache.camel.model.rest.RestParamType;

/**
 * The HTTP API in Camel's REST DSL: intake ({@code POST /leads}) and the read and operations side
 * (events of a lead, dead letters, alerts, audit), with its OpenAPI document at {@code GET /openapi.json};
 * the buyers' operations are in {@link BuyerApiRoutes}, the keys' in {@link ApiKeyRoutes}.
 * Every answer, an error included, is JSON in the shape of {@link JsonResponses}.
 */
public final class ApiRoutes extends RouteBuilder {

    private final ObjectMapper json = Json.MAPPER;

    @Override
    public void configure() {
        // Binding off: intake reads the request's raw bytes and checks content type, encoding and
        // limits itself. No consumes/produces either: Vert.x would answer 415/406 itself, not intake.
        // With X-Forwarded-* headers read, the OpenAPI document is rendered when asked for, not built (twice,
        // JSON and YAML) while the router starts, on a cold JVM; its servers entry follows a proxy's headers.
        restConfiguration().component("platform-http").bindingMode(RestBindingMode.off)
                .useXForwardHeaders(true)
                .apiContextPath("/openapi.json").apiContextRouteId("api-openapi")
                .apiProperty("api.title", "Lead Router").apiProperty("api.version", "1")
                .apiProperty("api.description", "Leads in; their events, dead letters and buyers out. "
                        + "Every error is {\"error\": \"...\", \"status\": N}.");

        // the id names the operation in the OpenAPI document, the routeId its route (for Hawtio)
        rest("/leads").tag("leads")
                .securityDefinitions()
                    .apiKey(ApiAccess.SCHEME, "An API key: 'Authorization: Bearer <key>', or 'X-Api-Key: <key>'. "
                            + "Each operation lists the roles whose keys may call it; admin keys may call every one.")
                        .withHeader("X-Api-Key").end()
                .end()
                .post().id("intake-http").routeId("intake-http").description("Take in a lead (a JSON object): stored, then routed")
                    .security(ApiAccess.SCHEME, "ingest")
                    .param().name("body").type(RestParamType.body).description("the lead, a JSON object").endParam()
                    .responseMessage().code(202).message("stored; the body gives its lead_id").endResponseMessage()
                    .responseMessage().code(400).message("not a valid lead, or over a limit").endResponseMessage()
                    .responseMessage().code(409).message("the lead_id is already used for a different lead").endResponseMessage()
                    .responseMessage().code(413).message("the body is too large").endResponseMessage()
                    .responseMessage().code(415).message("not a JSON content type").endResponseMessage()
                    .responseMessage().code(503).message("the lead store is unavailable, or the router is starting or stopping").endResponseMessage()
                    .to("direct:intake-http")
                .get("/{leadId}").id("api-lead").routeId("api-lead")
                    .description("The lead as received, whether its routing is over, and for each buyer whether it was offered the"
                            + " lead and why (not), the outcome, attempts and price")
                    .security(ApiAccess.SCHEME, "read")
                    .responseMessage().code(404).message("no such lead").endResponseMessage()
                    .to("direct:api-lead")
                .get("/{leadId}/compliance").id("api-lead-compliance").routeId("api-lead-compliance")
                    .description("The lead's compliance record: consent evidence, and for each buyer that took it when, its confirmation"
                            + " and the price, each tied to the events' seal (a buyer key: its own deliveries only)")
                    .security(ApiAccess.SCHEME, "read,buyer")
                    .responseMessage().code(404).message("no such lead").endResponseMessage()
                    .to("direct:api-lead-compliance")
                .get("/{leadId}/events").id("api-lead-events").routeId("api-lead-events").description("The lead's events, oldest first (a buyer key: its own buyer's only)")
                    .security(ApiAccess.SCHEME, "read,buyer")
                    .responseMessage().code(404).message("no such lead").endResponseMessage()
                    .to("direct:api-lead-events")
                .get("/{leadId}/attempts").id("api-lead-attempts").routeId("api-lead-attempts")
                    .description("Each call of a buyer with the lead, oldest first: the request sent (credentials masked), the"
                            + " response and the failure if any (a buyer key: its own buyer's only)")
                    .security(ApiAccess.SCHEME, "read,buyer")
                    .responseMessage().code(404).message("no such lead").endResponseMessage()
                    .to("direct:api-lead-attempts");
        rest("/dead-letters").tag("dead letters")
                .get().id("api-dead-letters").routeId("api-dead-letters").description("Dead letters not yet replayed, oldest first")
                    .security(ApiAccess.SCHEME, "read")
                    .to("direct:api-dead-letters")
                .post("/{id}/replay").id("api-dead-letter-replay").routeId("api-dead-letter-replay").description("Send the lead to that buyer again")
                    .security(ApiAccess.SCHEME, "operate")
                    .responseMessage().code(202).message("replaying").endResponseMessage()
                    .responseMessage().code(404).message("no pending dead letter").endResponseMessage()
                    .responseMessage().code(409).message("the buyer is gone, or the lead was sold meanwhile").endResponseMessage()
                    .to("direct:api-dead-letter-replay");
        rest("/alerts").tag("monitoring")
                .get().id("api-alerts").routeId("api-alerts")
                    .description("The spec's alerts per buyer: the open ones and those raised in the last 7 days, newest first")
                    .security(ApiAccess.SCHEME, "read")
                    .to("direct:api-alerts");

        rest("/audit/verify").tag("audit")
                .get().id("api-audit-verify").routeId("api-audit-verify")
                    .description("Recomputes the seal over every event: intact, or the first event not as it was sealed")
                    .security(ApiAccess.SCHEME, "admin")
                    .to("direct:api-audit-verify");
        rest("/audit-log").tag("audit")
                .get().id("api-audit-log").routeId("api-audit-log")
                    .description("Who changed what, newest first: buyer files, API keys, replays (at most 500; ?limit=N for fewer)")
                    .security(ApiAccess.SCHEME, "admin")
                    .to("direct:api-audit-log");

        // each direct route is inlined into its REST operation's route (camel.rest.inline-routes),
        // its route configuration (the API's error answers) with it
        from("direct:intake-http").routeConfigurationId(ApiErrors.ID)
                .process("httpLeadIntake").id("take-in-http-lead");
        from("direct:api-lead").routeConfigurationId(ApiErrors.ID)
                .process(this::leadDetails).id("read-lead-details");
        from("direct:api-lead-events").routeConfigurationId(ApiErrors.ID)
                .process(this::leadEvents).id("read-lead-events");
        from("direct:api-lead-attempts").routeConfigurationId(ApiErrors.ID)
                .process(this::leadAttempts).id("read-lead-attempts");
        from("direct:api-dead-letters").routeConfigurationId(ApiErrors.ID)
                .process(e -> JsonResponses.respond(e, 200, lookup(DeadLetters.class, "deadLetters").listPending())).id("list-dead-letters");
        from("direct:api-dead-letter-replay").routeConfigurationId(ApiErrors.ID)
                .process(this::replay).id("replay-dead-letter");
        from("direct:api-lead-compliance").routeConfigurationId(ApiErrors.ID)
                .process(this::compliance).id("read-lead-compliance");
        from("direct:api-audit-verify").routeConfigurationId(ApiErrors.ID)
                .process(this::verifyEvents).id("verify-events");
        from("direct:api-audit-log").routeConfigurationId(ApiErrors.ID)
                .process(this::auditLog).id("list-audit-log");
        from("direct:api-alerts").routeConfigurationId(ApiErrors.ID)
                .process(e -> JsonResponses.respond(e, 200, json.createObjectNode()
                        .set("alerts", lookup(AlertListing.class, "alertListing").openAndRecent()))).id("list-alerts");
    }

    private void leadDetails(Exchange exchange) throws Exception {
        String leadId = exchange.getMessage().getHeader("leadId", String.class);
        Optional<ObjectNode> details = LeadIds.isValid(leadId) ? lookup(LeadDetails.class, "leadDetails").of(leadId) : Optional.empty();
        if (details.isEmpty()) {
            JsonResponses.error(exchange, 404, "no lead " + leadId);
        } else {
            JsonResponses.respond(exchange, 200, details.get());
        }
    }

    private void leadEvents(Exchange exchange) throws Exception {
        String leadId = exchange.getMessage().getHeader("leadId", String.class);
        if (!LeadIds.isValid(leadId)) {
            JsonResponses.error(exchange, 404, "no lead " + leadId + ": lead ids are 'lead_' and 16 letters or digits");
            return;
        }
        Caller caller = ApiAccess.caller(exchange);
        var events = lookup(EventStore.class, "eventStore").eventsOfLead(leadId);
        if (events.isPresent() && caller.role() == Role.BUYER) {
            // a buyer sees its own events of a lead it was offered; any other lead does not exist for it
            events = Optional.of(EventJson.ofRecipient(events.get(), caller.recipientId())).filter(own -> !own.isEmpty());
        }
        if (events.isEmpty()) {
            JsonResponses.error(exchange, 404, "no lead " + leadId);
        } else {
            JsonResponses.respond(exchange, 200, events.get());
        }
    }

    private void leadAttempts(Exchange exchange) throws Exception {
        String leadId = exchange.getMessage().getHeader("leadId", String.class);
        Caller caller = ApiAccess.caller(exchange);
        Optional<ObjectNode> attempts = LeadIds.isValid(leadId)
                ? lookup(LeadAttempts.class, "leadAttempts").of(leadId, caller.role() == Role.BUYER ? caller.recipientId() : null)
                : Optional.empty();
        if (attempts.isEmpty()) {
            JsonResponses.error(exchange, 404, "no lead " + leadId);
        } else {
            JsonResponses.respond(exchange, 200, attempts.get());
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
            case STARTED -> {
                lookup(AuditLog.class, "auditLog").record(ApiAccess.caller(exchange).keyId(), "dead_letter.replayed",
                        "dead_letter:" + deadLetterId, json.createObjectNode());
                JsonResponses.respond(exchange, 202,
                        json.createObjectNode().put("dead_letter_id", deadLetterId).put("status", "replaying"));
            }
            case NOT_FOUND -> JsonResponses.error(exchange, 404, "no pending dead letter " + deadLetterId);
            case BUYER_GONE -> JsonResponses.error(exchange, 409,
                    "dead letter " + deadLetterId + " cannot be replayed: its buyer is no longer configured");
            case SOLD -> JsonResponses.error(exchange, 409,
                    "dead letter " + deadLetterId + " cannot be replayed: the lead was sold, and this buyer may not have it now");
        }
    }

    private void compliance(Exchange exchange) throws Exception {
        String leadId = exchange.getMessage().getHeader("leadId", String.class);
        Optional<ObjectNode> record = LeadIds.isValid(leadId)
                ? lookup(ComplianceRecords.class, "complianceRecords").of(leadId, ApiAccess.caller(exchange)) : Optional.empty();
        if (record.isEmpty()) {
            JsonResponses.error(exchange, 404, "no lead " + leadId);
        } else {
            JsonResponses.respond(exchange, 200, record.get());
        }
    }

    private void verifyEvents(Exchange exchange) throws Exception {
        EventSeals.Report report = lookup(EventSeals.class, "eventSeals").verify();
        JsonResponses.respond(exchange, 200, json.createObjectNode().put("intact", report.intact())
                .put("checkpoints", report.checkpoints()).put("events_sealed", report.eventsSealed())
                .put("events_retired", report.eventsRetired()).put("events_not_yet_sealed", report.eventsNotYetSealed()).put("first_problem", report.firstProblem()));
    }

    private void auditLog(Exchange exchange) throws Exception {
        String limit = exchange.getMessage().getHeader("limit", String.class);
        int n = 500;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 500) {
                JsonResponses.error(exchange, 400, "limit must be a whole number from 1 to 500");
                return;
            }
        }
        JsonResponses.respond(exchange, 200, json.createObjectNode().set("entries", lookup(AuditLog.class, "auditLog").recent(n)));
    }

    private <T> T lookup(Class<T> type, String name) {
        return getContext().getRegistry().lookupByNameAndType(name, type);
    }
}
