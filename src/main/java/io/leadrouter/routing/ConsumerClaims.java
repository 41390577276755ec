package io.leadrouter.routing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * De-duplication per buyer (table consumer_claims): an offer claims its consumer's identities for the
 * buyer before the call (database function offer_reserve). The claim fails if the consumer was sold to
 * the buyer within the window, or is being offered to it now in another lead: the primary key makes the
 * second of two equal leads wait for the first's claim and then see it, so both can never go through. A
 * sale keeps the claim (sold_at); an offer the buyer did not buy gives it back (offer_release).
 */
final class ConsumerClaims {

    private ConsumerClaims() {
    }

    /** The refusal of offer_reserve's 'duplicate:<n>': who holds the identity, sold or being offered. */
    static RuleRefusal duplicate(Connection c, String buyerId, byte[] identity, int windowDays) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "select lead_id, sold_at from consumer_claims where recipient_id = ? and identity = ?")) {
            select.setString(1, buyerId);
            select.setBytes(2, identity);
            try (ResultSet rs = select.executeQuery()) {
                boolean found = rs.next();
                if (found && rs.getObject(2) != null) {
                    return new RuleRefusal(RuleRefusal.DUPLICATE, "dedupe", "the same consumer was sold to the buyer in lead "
                            + rs.getString(1) + " at " + rs.getObject(2, OffsetDateTime.class).toInstant()
                            + ", within its " + windowDays + "-day window");
                }
                return new RuleRefusal(RuleRefusal.DUPLICATE, "dedupe", "the same consumer is being offered to the buyer in lead "
                        + (found ? rs.getString(1) : "another lead"));
            }
        }
    }

    static RuleRefusal suppressed() {
        return new RuleRefusal(RuleRefusal.SUPPRESSED, "suppressions", "the consumer is on the buyer's suppression list");
    }

    /** Marks a lead's claims sold as they stand (a gone instance's sale, found in the events). */
    static void markSold(Connection c, String buyerId, String leadId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "update consumer_claims set sold_at = clock_timestamp() where recipient_id = ? and lead_id = ? and sold_at is null")) {
            update.setString(1, buyerId);
            update.setString(2, leadId);
            update.executeUpdate();
        }
    }

    /**
     * The buyer bought the lead: its consumer stays claimed. Claims given back meanwhile (their instance
     * looked gone to the others for long) are taken again where nobody else holds them.
     */
    static void sold(Connection c, String buyerId, String leadId, List<byte[]> identities, String instanceId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "update consumer_claims set sold_at = clock_timestamp() where recipient_id = ? and lead_id = ? and sold_at is null")) {
            update.setString(1, buyerId);
            update.setString(2, leadId);
            if (update.executeUpdate() > 0 || identities.isEmpty()) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement("""
                insert into consumer_claims (recipient_id, identity, lead_id, claimed_by, sold_at)
                values (?, ?, ?, ?, clock_timestamp()) on conflict do nothing""")) {
            for (byte[] identity : identities) {
                insert.setString(1, buyerId);
                insert.setBytes(2, identity);
                insert.setString(3, leadId);
                insert.setString(4, instanceId);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
