package io.leadrouter.monitoring;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads a buyer's recent outcomes from the events table (every instance's), by its index on
 * (recipient_id, occurred_at): the window's offers and answer times, the failures since its last
 * delivery, and how long it has answered nothing but technical failures.
 */
final class BuyerObservations {

    private final AlertThresholds thresholds;

    BuyerObservations(AlertThresholds thresholds) {
        this.thresholds = thresholds;
    }

    BuyerObservation of(Connection connection, String buyerId) throws SQLException {
        long offers;
        long delivered;
        double meanMs;
        try (PreparedStatement window = connection.prepareStatement("""
                select count(*) filter (where event_type = 'recipient.delivered'),
                       count(*) filter (where event_type = 'recipient.failed'
                           and ((event->'failure'->>'retry_eligible')::boolean is not true
                                or (event->'metadata'->>'attempt_number')::int >= (event->'metadata'->>'total_attempts')::int)),
                       coalesce(avg(duration_ms), -1)
                from recipient_events
                where recipient_id = ? and occurred_at > now() - ? * interval '1 millisecond'
                  and event_type in ('recipient.delivered', 'recipient.failed')""")) {
            window.setString(1, buyerId);
            window.setLong(2, thresholds.window().toMillis());
            try (ResultSet rs = window.executeQuery()) {
                rs.next();
                delivered = rs.getLong(1);
                offers = delivered + rs.getLong(2);
                meanMs = rs.getDouble(3);
            }
        }
        return new BuyerObservation(offers, delivered, meanMs, failuresInARow(connection, buyerId), onlyTechnicalForMs(connection, buyerId),
                circuitOpenForMs(connection, buyerId));
    }

    /** Since its circuit opened (io.leadrouter.circuit), or -1 while it is closed or paused by hand. */
    private static long circuitOpenForMs(Connection connection, String buyerId) throws SQLException {
        try (PreparedStatement circuit = connection.prepareStatement("""
                select extract(epoch from now() - opened_at) * 1000 from buyer_circuits
                where recipient_id = ? and state in ('open', 'probing')""")) {
            circuit.setString(1, buyerId);
            try (ResultSet rs = circuit.executeQuery()) {
                return rs.next() ? Math.max(0, (long) rs.getDouble(1)) : -1;
            }
        }
    }

    /** Failed calls since the last delivery, counted up to a bound past the threshold. */
    private int failuresInARow(Connection connection, String buyerId) throws SQLException {
        try (PreparedStatement newest = connection.prepareStatement("""
                select event_type from recipient_events
                where recipient_id = ? and event_type in ('recipient.delivered', 'recipient.failed')
                order by occurred_at desc, seq desc limit ?""")) {
            newest.setString(1, buyerId);
            newest.setInt(2, thresholds.consecutiveFailuresAbove() * 2 + 10);
            int failures = 0;
            try (ResultSet rs = newest.executeQuery()) {
                while (rs.next() && rs.getString(1).equals("recipient.failed")) {
                    failures++;
                }
            }
            return failures;
        }
    }

    /** Since the first technical failure after the buyer's last real answer (a delivery or a refusal), or -1. */
    private long onlyTechnicalForMs(Connection connection, String buyerId) throws SQLException {
        long lookbackMs = Math.max(thresholds.offlineAfter().toMillis() * 2, thresholds.window().toMillis());
        try (PreparedStatement run = connection.prepareStatement("""
                with answered as (
                    select max(occurred_at) as at from recipient_events
                    where recipient_id = ? and occurred_at > now() - ? * interval '1 millisecond'
                      and (event_type = 'recipient.delivered'
                           or (event_type = 'recipient.failed' and failure_category in ('business', 'authentication'))))
                select extract(epoch from now() - min(e.occurred_at)) * 1000
                from recipient_events e, answered a
                where e.recipient_id = ? and e.event_type = 'recipient.failed' and e.failure_category = 'technical'
                  and e.occurred_at > coalesce(a.at, now() - ? * interval '1 millisecond')""")) {
            run.setString(1, buyerId);
            run.setLong(2, lookbackMs);
            run.setString(3, buyerId);
            run.setLong(4, lookbackMs);
            try (ResultSet rs = run.executeQuery()) {
                rs.next();
                double ms = rs.getDouble(1);
                return rs.wasNull() ? -1 : (long) ms;
            }
        }
    }
}
