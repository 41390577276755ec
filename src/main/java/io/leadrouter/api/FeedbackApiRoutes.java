package io.leadrouter.api;

import io.leadrouter.support.Quoted;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.feedback.FeedbackDesk;
import io.leadrouter.feedback.FeedbackRequest;
import io.leadrouter.security.Caller;
import io.leadrouter.security.Role;
import io.leadrouter.intake.LeadIds;
import io.leadrouter.security.ApiAccess;
import io.leadrouter.support.Json;
import io.leadrouter.support.JsonResponses;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;

/** {@code POST /leads/{leadId}/feedback}: a buyer returns a lead or reports a conversion ({@link FeedbackDesk}). */
public final class FeedbackApiRoutes extends RouteBuilder {

    /** Feedback is a few fields: anything larger is not feedback. */
    private static final int LARGEST_BODY = 16 * 1024;

    @Override
    public void configure() {
        rest("/leads").tag("feedback")
                .post("/{leadId}/feedback").id("api-lead-feedback").routeId("api-lead-feedback")
                    .description("A buyer's return of the lead or a conversion: recorded as a recipient.feedback event"
                            + " (a refused return too, with accepted false and the refusal) and answered with it")
                    .security(ApiAccess.SCHEME, "operate,buyer")
                    .param().name("body").type(RestParamType.body)
                        .description("{\"recipient_id\": \"rcp_…\", \"type\": \"return\" | \"conversion\", \"reason\": \"…\", \"amount\": 12.5}")
                    .endParam()
                    .responseMessage().code(201).message("recorded: the body is the event").endResponseMessage()
                    .responseMessage().code(400).message("not feedback: the message names the field").endResponseMessage()
                    .responseMessage().code(403).message("a buyer key, for another buyer").endResponseMessage()
                    .responseMessage().code(404).message("no such lead").endResponseMessage()
                    .responseMessage().code(409).message("not delivered to that buyer, or already returned").endResponseMessage()
                    .responseMessage().code(422).message("a return the buyer's rules refuse: recorded, the body gives the event")
                    .endResponseMessage()
                    .to("direct:api-lead-feedback");
        from("direct:api-lead-feedback").routeConfigurationId(ApiErrors.ID)
                .process(this::take).id("take-feedback");
    }

    private void take(Exchange exchange) throws Exception {
        String leadId = exchange.getMessage().getHeader("leadId", String.class);
        if (!LeadIds.isValid(leadId)) {
            JsonResponses.error(exchange, 404, "no lead " + Quoted.shortened(String.valueOf(leadId))
                    + ": lead ids are 'lead_' and 16 letters or digits");
            return;
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body != null && body.length > LARGEST_BODY) {
            JsonResponses.error(exchange, 413, "feedback is at most " + LARGEST_BODY + " bytes");
            return;
        }
        FeedbackRequest request;
        try {
            JsonNode json = body == null || body.length == 0 ? null : Json.MAPPER.readTree(body);
            request = FeedbackRequest.of(json);
        } catch (JacksonException e) {
            JsonResponses.error(exchange, 400, "the body is not JSON: " + e.getOriginalMessage());
            return;
        } catch (FeedbackRequest.Malformed e) {
            JsonResponses.error(exchange, 400, e.getMessage());
            return;
        }
        Caller caller = ApiAccess.caller(exchange);
        FeedbackDesk.Answer answer = getContext().getRegistry().lookupByNameAndType("feedbackDesk", FeedbackDesk.class)
                .take(leadId, request, caller.keyId(), caller.role() == Role.BUYER ? caller.recipientId() : null);
        if (answer.problem() == null) {
            JsonResponses.respond(exchange, answer.status(), answer.event());
        } else {
            ObjectNode error = JsonResponses.errorBody(answer.status(), answer.problem());
            if (answer.event() != null) {
                error.set("event", answer.event());
            }
            JsonResponses.respond(exchange, answer.status(), error);
        }
    }
}
