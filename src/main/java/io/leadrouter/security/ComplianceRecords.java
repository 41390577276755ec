package io.leadrouter.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The compliance record of a lead (the spec's "Using Events for Compliance"): the consent evidence
 * the lead carried, and for each buyer that took it when, the buyer's confirmation and the price;
 * each delivery tied to the events' seal (its seq, the MD5 of its stored JSON, and the checkpoint
 * that sealed it), so the record can be checked against {@code GET /audit/verify}.
 */
public final class ComplianceRecords {

    private final DataSource dataSource;
    private final List<String> consentFields;

    /** @param consentFields the lead fields that hold consent evidence (dotted paths), e.g. consent.ip, trustedform_cert_url */
    public ComplianceRecords(DataSource dataSource, List<String> consentFields) {
        this.dataSource = dataSource;
        this.consentFields = List.copyOf(consentFields);
    }

    /** The lead's record as the caller may see it: a buyer key sees its own deliveries only. Empty for an unknown lead. */
    public Optional<ObjectNode> of(String leadId, Caller caller) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            ObjectNode record = Json.MAPPER.createObjectNode();
            try (PreparedStatement lead = connection.prepareStatement("select payload::text, received_at from leads where lead_id = ?")) {
                lead.setString(1, leadId);
                try (ResultSet rs = lead.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    record.put("lead_id", leadId).put("received_at", rs.getTimestamp(2).toInstant().toString());
                    JsonNode payload = Json.MAPPER.readTree(rs.getString(1));
                    ObjectNode consent = record.putObject("consent");
                    for (String field : consentFields) {
                        JsonNode value = Json.at(payload, field);
                        consent.set(field, value.isMissingNode() ? null : value);
                    }
                }
            }
            ArrayNode deliveries = record.putArray("deliveries");
            try (PreparedStatement events = connection.prepareStatement("""
                    select e.seq, e.event::text, md5(e.event::text),
                           (select c.id from event_checkpoints c where c.last_seq >= e.seq order by c.last_seq limit 1),
                           (select encode(c.digest, 'hex') from event_checkpoints c where c.last_seq >= e.seq order by c.last_seq limit 1)
                    from recipient_events e
                    where e.lead_id = ? and e.event_type = 'recipient.delivered' and (? is null or e.recipient_id = ?)
                    order by e.seq""")) {
                events.setString(1, leadId);
                events.setString(2, caller.role() == Role.BUYER ? caller.recipientId() : null);
                events.setString(3, caller.role() == Role.BUYER ? caller.recipientId() : null);
                try (ResultSet rs = events.executeQuery()) {
                    while (rs.next()) {
                        deliveries.add(delivery(Json.MAPPER.readTree(rs.getString(2)), rs));
                    }
                }
            }
            if (caller.role() == Role.BUYER && deliveries.isEmpty()) {
                return Optional.empty(); // a lead it did not take does not exist for a buyer
            }
            return Optional.of(record);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored lead or event is not JSON", e);
        }
    }

    private static ObjectNode delivery(JsonNode event, ResultSet rs) throws SQLException {
        ObjectNode delivery = Json.MAPPER.createObjectNode();
        delivery.set("recipient", orNull(event.path("recipient")));
        delivery.set("delivered_at", orNull(event.path("timestamp")));
        ObjectNode confirmation = delivery.putObject("confirmation");
        confirmation.set("buyer_lead_id", orNull(event.path("response").path("parsed").path("buyer_lead_id")));
        confirmation.set("status_code", orNull(event.path("response").path("status_code")));
        delivery.set("price", orNull(event.path("delivery").path("price")));
        delivery.set("event_id", orNull(event.path("event_id")));
        ObjectNode seal = delivery.putObject("seal").put("seq", rs.getLong(1)).put("md5", rs.getString(3));
        long checkpoint = rs.getLong(4);
        if (rs.wasNull()) {
            seal.putNull("checkpoint").putNull("checkpoint_digest");
        } else {
            seal.put("checkpoint", checkpoint).put("checkpoint_digest", rs.getString(5));
        }
        return delivery;
    }

    private static JsonNode orNull(JsonNode node) {
        return node.isMissingNode() ? NullNode.getInstance() : node;
    }
}
