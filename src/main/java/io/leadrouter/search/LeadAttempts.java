package io.leadrouter.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@code GET /leads/{lead_id}/attempts}: each call of a buyer with the lead, oldest first: the request
 * sent (as stored, credentials masked), the buyer's response and what it was judged to be. Read from
 * the attempts' outcome events and the requests stored beside them.
 */
public final class LeadAttempts {

    private final DataSource dataSource;

    public LeadAttempts(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The lead's attempts, or empty when there is no such lead.
     *
     * @param recipientId only this buyer's attempts (a buyer key), or null for all
     */
    public Optional<ObjectNode> of(String leadId, String recipientId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement known = connection.prepareStatement("select 1 from leads where lead_id = ?");
                PreparedStatement select = connection.prepareStatement("""
                        select event, request from recipient_events
                        where lead_id = ? and event_type in ('recipient.delivered', 'recipient.failed')
                          and (?::text is null or recipient_id = ?)
                        order by seq""")) {
            known.setString(1, leadId);
            try (ResultSet rs = known.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
            }
            select.setString(1, leadId);
            select.setString(2, recipientId);
            select.setString(3, recipientId);
            ObjectNode answer = Json.MAPPER.createObjectNode().put("lead_id", leadId);
            ArrayNode attempts = answer.putArray("attempts");
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String request = rs.getString(2);
                    attempts.add(attempt(Json.MAPPER.readTree(rs.getString(1)), request == null ? null : Json.MAPPER.readTree(request)));
                }
            }
            return Optional.of(answer);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored event or request is not valid JSON", e);
        }
    }

    private static ObjectNode attempt(JsonNode event, JsonNode request) {
        ObjectNode attempt = Json.MAPPER.createObjectNode();
        attempt.set("event_id", event.path("event_id"));
        attempt.set("event_type", event.path("event_type"));
        attempt.set("timestamp", event.path("timestamp"));
        attempt.set("recipient_id", event.path("recipient").path("id"));
        attempt.set("recipient_name", event.path("recipient").path("name"));
        attempt.set("attempt_number", event.path("metadata").path("attempt_number"));
        attempt.set("outcome", event.path("outcome"));
        attempt.set("duration_ms", event.path("duration_ms"));
        attempt.set("failure", event.has("failure") ? event.get("failure") : Json.MAPPER.nullNode());
        attempt.set("request", request == null ? Json.MAPPER.nullNode() : request);
        attempt.set("response", event.has("response") ? event.get("response") : Json.MAPPER.nullNode());
        return attempt;
    }
}
