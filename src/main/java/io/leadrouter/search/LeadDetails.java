package io.leadrouter.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.model.Buyer;
import io.leadrouter.support.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * {@code GET /leads/{lead_id}}: the lead as received, whether its routing is over, and for each buyer
 * whether it was offered the lead and why (not), what came of it, its attempts and price. Read from
 * the lead, its events, held leads, dead letters and the decisions of the buyers' rules (routing_decisions, written
 * when a rule said no); the other reasons a buyer was not offered the lead are
 * the routing rules of {@code WavePlan} applied to what the events say (priority waves, exclusive sales).
 */
public final class LeadDetails {

    private final DataSource dataSource;
    private final BuyerCatalog catalog;

    public LeadDetails(DataSource dataSource, BuyerCatalog catalog) {
        this.dataSource = dataSource;
        this.catalog = catalog;
    }

    /** What the events and tables say of one buyer and this lead. */
    private static final class Offer {
        final String recipientId;
        String name;
        Integer priority;
        Boolean exclusive;
        int attempts;
        String outcome;
        JsonNode price;
        String firstAttemptAt;
        String lastEventAt;
        String heldSince;
        String heldFor;
        Long deadLetterId;
        /** The latest decision of the buyer's rules on this lead (routing_decisions), if one said no. */
        String decision;
        String rule;
        String ruleDetail;

        Offer(String recipientId) {
            this.recipientId = recipientId;
        }

        /** Selected: its rules let the lead through (it was called, or is held for it), none said no. */
        boolean offered() {
            return attempts > 0 || heldSince != null || (outcome != null && decision == null);
        }
    }

    public Optional<ObjectNode> of(String leadId) throws SQLException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        Map<String, Offer> offers = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // one snapshot for the lead and its events
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                if (!readLead(c, leadId, body)) {
                    return Optional.empty();
                }
                readEvents(c, leadId, offers);
                readHeld(c, leadId, offers);
                readDeadLetters(c, leadId, offers);
                readDecisions(c, leadId, offers);
            } finally {
                c.rollback();
            }
        }
        for (Buyer buyer : catalog.all()) {
            Offer offer = offers.computeIfAbsent(buyer.id(), Offer::new);
            offer.name = offer.name != null ? offer.name : buyer.name();
            offer.priority = offer.priority != null ? offer.priority : buyer.priority();
            offer.exclusive = offer.exclusive != null ? offer.exclusive : buyer.exclusive();
        }
        boolean complete = !body.path("completed_at").isNull();
        List<Offer> sold = offers.values().stream().filter(o -> "delivered".equals(o.outcome)).toList();
        Optional<Offer> soldExclusively = sold.stream().filter(o -> Boolean.TRUE.equals(o.exclusive)).findFirst();
        ArrayNode buyers = body.putArray("buyers");
        offers.values().stream()
                .sorted(Comparator.comparing((Offer o) -> o.priority == null ? Integer.MAX_VALUE : o.priority)
                        .thenComparing(o -> o.recipientId))
                .forEach(offer -> {
                    ObjectNode item = buyers.addObject().put("recipient_id", offer.recipientId).put("name", offer.name);
                    item.put("priority", offer.priority).put("exclusive", offer.exclusive);
                    item.put("selected", offer.offered());
                    item.put("why", why(offer, complete, sold, soldExclusively));
                    item.put("outcome", offer.outcome).put("attempts", offer.attempts);
                    item.set("price", offer.price == null ? Json.MAPPER.nullNode() : offer.price);
                    item.put("first_attempt_at", offer.firstAttemptAt).put("last_event_at", offer.lastEventAt);
                    item.put("held_since", offer.heldSince);
                    if (offer.decision != null) {
                        item.putObject("rule").put("decision", offer.decision).put("rule", offer.rule).put("detail", offer.ruleDetail);
                    }
                    if (offer.deadLetterId != null) {
                        item.put("dead_letter_id", offer.deadLetterId);
                    }
                });
        return Optional.of(body);
    }

    private String why(Offer offer, boolean complete, List<Offer> sold, Optional<Offer> soldExclusively) {
        if (offer.heldSince != null && offer.attempts == 0) {
            return "schedule".equals(offer.heldFor)
                    ? "held since " + offer.heldSince + ": the buyer is closed (its schedule); offered when it opens"
                    : "held since " + offer.heldSince + ": the buyer's circuit is open or it is paused; offered when it closes";
        }
        if (offer.decision != null && offer.attempts == 0) {
            return "gone".equals(offer.decision) ? "not offered: " + offer.ruleDetail
                    : "not offered: its rule " + offer.rule + " said no (" + offer.decision + "): " + offer.ruleDetail;
        }
        if (offer.offered()) {
            return "offered at priority " + offer.priority + (Boolean.TRUE.equals(offer.exclusive) ? " as an exclusive buyer" : "");
        }
        if (soldExclusively.isPresent()) {
            return "the lead was sold exclusively to " + soldExclusively.get().recipientId + " first";
        }
        List<String> soldBefore = sold.stream().filter(o -> o.priority != null && offer.priority != null && o.priority < offer.priority)
                .map(o -> o.recipientId).toList();
        if (Boolean.TRUE.equals(offer.exclusive) && !soldBefore.isEmpty()) {
            return "an exclusive buyer, and the lead was already sold to " + String.join(", ", soldBefore);
        }
        Optional<Buyer> buyer = catalog.find(offer.recipientId);
        if (buyer.isPresent() && !buyer.get().enabled()) {
            return "disabled in its buyer file";
        }
        if (!complete) {
            return "not offered yet: the buyers before it in priority order come first";
        }
        return "not in force when the lead was routed";
    }

    private static boolean readLead(Connection c, String leadId, ObjectNode body) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select payload::text, source, received_at, completed_at from leads where lead_id = ?")) {
            s.setString(1, leadId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                OffsetDateTime completed = rs.getObject(4, OffsetDateTime.class);
                body.put("lead_id", leadId).put("source", rs.getString(2))
                        .put("received_at", rs.getObject(3, OffsetDateTime.class).toInstant().toString())
                        .put("state", completed == null ? "in_progress" : "complete")
                        .put("completed_at", completed == null ? null : completed.toInstant().toString());
                body.set("lead", Json.MAPPER.readTree(rs.getString(1)));
                return true;
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new SQLException("lead " + leadId + ": its stored JSON is unreadable", e);
            }
        }
    }

    private static void readEvents(Connection c, String leadId, Map<String, Offer> offers) throws SQLException {
        eachRow(c, """
                select recipient_id, event_type, event -> 'recipient' ->> 'name', event -> 'delivery_plan', event -> 'delivery' -> 'price',
                    event -> 'metadata' -> 'final', failure_category, event ->> 'timestamp'
                from recipient_events where lead_id = ? and recipient_id is not null order by seq""", leadId, rs -> {
            Offer offer = offers.computeIfAbsent(rs.getString(1), Offer::new);
            offer.name = rs.getString(3) != null ? rs.getString(3) : offer.name;
            offer.lastEventAt = rs.getString(8);
            switch (rs.getString(2)) {
                case "recipient.delivery_attempt" -> {
                    offer.attempts++;
                    offer.firstAttemptAt = offer.firstAttemptAt != null ? offer.firstAttemptAt : rs.getString(8);
                    JsonNode plan = json(rs.getString(4));
                    if (plan.path("priority").isInt()) {
                        offer.priority = plan.path("priority").asInt();
                    }
                    if (plan.path("exclusive").isBoolean()) {
                        offer.exclusive = plan.path("exclusive").asBoolean();
                    }
                    offer.outcome = "in_progress";
                }
                case "recipient.delivered" -> {
                    offer.outcome = "delivered";
                    offer.price = json(rs.getString(5));
                }
                case "recipient.failed" -> {
                    boolean last = !"false".equals(rs.getString(6));
                    String category = rs.getString(7);
                    offer.outcome = !last ? "retrying"
                            : "business".equals(category) || "authentication".equals(category) ? "refused" : "dead_lettered";
                }
                default -> {
                    // feedback: the offer's outcome stands
                }
            }
        });
    }

    private static void readHeld(Connection c, String leadId, Map<String, Offer> offers) throws SQLException {
        eachRow(c, "select recipient_id, held_at, held_for from held_leads where lead_id = ? and released_at is null", leadId, rs -> {
            Offer offer = offers.computeIfAbsent(rs.getString(1), Offer::new);
            offer.heldSince = rs.getObject(2, OffsetDateTime.class).toInstant().toString();
            offer.heldFor = rs.getString(3);
            offer.outcome = "held";
        });
    }

    private static void readDeadLetters(Connection c, String leadId, Map<String, Offer> offers) throws SQLException {
        eachRow(c, "select recipient_id, id from dead_letters where lead_id = ? and replayed_at is null order by id", leadId,
                rs -> offers.computeIfAbsent(rs.getString(1), Offer::new).deadLetterId = rs.getLong(2));
    }

    private static void readDecisions(Connection c, String leadId, Map<String, Offer> offers) throws SQLException {
        eachRow(c, "select recipient_id, decision, rule, detail from routing_decisions where lead_id = ? order by decided_at", leadId, rs -> {
            Offer offer = offers.computeIfAbsent(rs.getString(1), Offer::new);
            offer.decision = rs.getString(2);
            offer.rule = rs.getString(3);
            offer.ruleDetail = rs.getString(4);
        });
    }

    /** Reads a row at a time. */
    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    /** Runs a query about the lead (its one parameter) and hands each row to the reader. */
    private static void eachRow(Connection c, String sql, String leadId, RowReader reader) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, leadId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return Json.MAPPER.nullNode();
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Json.MAPPER.nullNode();
        }
    }
}
