package io.leadrouter.feedback;

import io.leadrouter.support.Quoted;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.events.EventStore;
import io.leadrouter.events.FirehoseRelay;
import io.leadrouter.events.RecipientEvents;
import io.leadrouter.model.Buyer;
import io.leadrouter.support.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Takes a buyer's feedback on a lead delivered to it: a conversion is always recorded; a return is
 * judged by the buyer's {@code feedback} rules ({@link ReturnRules}) and recorded either way, refused
 * with the reason the buyer should see. Judging and recording happen under one lock per buyer, so two
 * returns at once cannot both pass the monthly limit, nor the same lead be returned twice.
 */
public final class FeedbackDesk {

    /** What the request gets: 201 and the event, or a refusal (with its event when the buyer should see why). */
    public record Answer(int status, String problem, ObjectNode event) {
        static Answer refused(int status, String problem) {
            return new Answer(status, problem, null);
        }
    }

    /** The lead's delivery to the buyer: the event's recipient, when, and at what price. */
    private record Delivery(JsonNode recipient, Instant at, BigDecimal price) {
    }

    private final DataSource dataSource;
    private final BuyerCatalog buyers;
    private final RecipientEvents events;
    private final EventStore store;
    private final FirehoseRelay relay;
    private final ZoneId monthZone;
    private final Clock clock;

    public FeedbackDesk(DataSource dataSource, BuyerCatalog buyers, RecipientEvents events, EventStore store, FirehoseRelay relay,
            ZoneId monthZone, Clock clock) {
        this.dataSource = dataSource;
        this.buyers = buyers;
        this.events = events;
        this.store = store;
        this.relay = relay;
        this.monthZone = monthZone;
        this.clock = clock;
    }

    /**
     * @param keyId the API key posting it (recorded in the event)
     * @param keysBuyer for a buyer's own key, its buyer: it may post for that buyer only; else null
     */
    public Answer take(String leadId, FeedbackRequest request, String keyId, String keysBuyer) throws SQLException {
        boolean buyerKey = keysBuyer != null;
        if (buyerKey && !request.recipientId().equals(keysBuyer)) {
            return Answer.refused(403, "a buyer key posts feedback for its own buyer (" + keysBuyer + ") only");
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Answer answer = take(connection, leadId, request, keyId, buyerKey);
                connection.commit();
                if (answer.event() != null) {
                    relay.wakeUp();
                }
                return answer;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private Answer take(Connection connection, String leadId, FeedbackRequest request, String keyId, boolean buyerKey)
            throws SQLException {
        if (!leadExists(connection, leadId)) {
            return Answer.refused(404, "no lead " + leadId);
        }
        // one buyer's feedback at a time: the checks below and the event are one decision
        try (PreparedStatement lock = connection.prepareStatement("select pg_advisory_xact_lock(15, hashtext(?))")) {
            lock.setString(1, request.recipientId());
            lock.execute();
        }
        Optional<Delivery> delivery = delivery(connection, leadId, request.recipientId());
        if (delivery.isEmpty()) {
            // to a buyer key, a lead that was not delivered to it does not exist
            return buyerKey ? Answer.refused(404, "no lead " + leadId)
                    : Answer.refused(409, "lead " + leadId + " was not delivered to " + Quoted.shortened(request.recipientId()));
        }
        if (request.isReturn() && request.amount() != null && delivery.get().price() != null
                && request.amount().compareTo(delivery.get().price()) > 0) {
            return Answer.refused(400, "amount " + request.amount() + " is more than the lead's price " + delivery.get().price()
                    + " (a return credits at most what the buyer paid)");
        }
        Optional<String> refusal = Optional.empty();
        int status = 201;
        if (request.isReturn()) {
            Buyer.Feedback rules = buyers.find(request.recipientId()).map(Buyer::feedback).orElse(Buyer.Feedback.DEFAULT);
            ReturnRules.Verdict verdict = new ReturnRules(rules).judge(request.reason(), delivery.get().at(), clock.instant(),
                    () -> alreadyReturned(connection, leadId, request.recipientId()),
                    () -> monthFigures(connection, request.recipientId()));
            refusal = verdict.refusal();
            status = verdict.status();
        }
        ObjectNode event = events.feedback(leadId, delivery.get().recipient(), request.type(), request.reason(), request.amount(),
                refusal.orElse(null), delivery.get().at(), keyId);
        store.appendAll(connection, List.of(event));
        return new Answer(status, refusal.orElse(null), event);
    }

    private static boolean leadExists(Connection connection, String leadId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select 1 from leads where lead_id = ?")) {
            select.setString(1, leadId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Optional<Delivery> delivery(Connection connection, String leadId, String recipientId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                select event -> 'recipient', occurred_at, price from recipient_events
                where lead_id = ? and recipient_id = ? and event_type = 'recipient.delivered' order by seq desc limit 1""")) {
            select.setString(1, leadId);
            select.setString(2, recipientId);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Delivery(Json.MAPPER.readTree(rs.getString(1)),
                        rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getBigDecimal(3)));
            }
        } catch (IOException e) {
            throw new SQLException("a stored event's recipient is not JSON", e);
        }
    }

    private static boolean alreadyReturned(Connection connection, String leadId, String recipientId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                select 1 from recipient_events where lead_id = ? and recipient_id = ? and event_type = 'recipient.feedback'
                    and event -> 'feedback' ->> 'type' = 'return' and event -> 'feedback' -> 'accepted' = 'true'::jsonb""")) {
            select.setString(1, leadId);
            select.setString(2, recipientId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The buyer's deliveries and accepted returns in this calendar month (in the analytics time zone). */
    private ReturnRules.Month monthFigures(Connection connection, String recipientId) throws SQLException {
        ZonedDateTime start = ZonedDateTime.now(clock.withZone(monthZone)).toLocalDate().withDayOfMonth(1).atStartOfDay(monthZone);
        OffsetDateTime from = start.toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
        OffsetDateTime to = start.plusMonths(1).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
        // the rollups' offers, and the events still queued for them (one snapshot: each event counted once)
        try (PreparedStatement select = connection.prepareStatement("""
                select (select count(*) from analytics_offers
                        where recipient_id = ? and outcome = 'delivered' and final_at >= ? and final_at < ?)
                     + (select count(*) from analytics_queue q join recipient_events e on e.seq = q.seq
                        where e.recipient_id = ? and e.event_type = 'recipient.delivered' and e.occurred_at >= ? and e.occurred_at < ?),
                       (select count(*) from analytics_offers
                        where recipient_id = ? and returned_at >= ? and returned_at < ?)
                     + (select count(*) from analytics_queue q join recipient_events e on e.seq = q.seq
                        where e.recipient_id = ? and e.event_type = 'recipient.feedback' and e.occurred_at >= ? and e.occurred_at < ?
                            and e.event -> 'feedback' ->> 'type' = 'return' and e.event -> 'feedback' -> 'accepted' = 'true'::jsonb)""")) {
            for (int i = 0; i < 4; i++) {
                select.setString(3 * i + 1, recipientId);
                select.setObject(3 * i + 2, from);
                select.setObject(3 * i + 3, to);
            }
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new ReturnRules.Month(rs.getLong(1), rs.getLong(2));
            }
        }
    }
}
