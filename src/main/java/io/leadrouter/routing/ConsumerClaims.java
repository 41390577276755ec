package io.leadrouter.routing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * De-duplication per buyer (table consumer_claims): an offer claims its consumer's identities for the
 * buyer before the call. The claim fails if the consumer was sold to the buyer within the window, or is
 * being offered to it now in another lead: the primary key makes the second of two equal leads wait for
 * the first's transaction and then see its claim, so both can never go through. A sale keeps the claim
 * (sold_at); an offer the buyer did not buy gives it back.
 */
final class ConsumerClaims {

    /** Claims every identity or none (on the caller's transaction, which a refusal must roll back). */
    Optional<RuleRefusal> claim(Connection c, String buyerId, String leadId, List<byte[]> identities, int windowDays,
            String instanceId) throws SQLException {
        try (PreparedStatement claim = c.prepareStatement("""
                insert into consumer_claims (recipient_id, identity, lead_id, claimed_by) values (?, ?, ?, ?)
                on conflict (recipient_id, identity) do update
                    set lead_id = excluded.lead_id, claimed_at = clock_timestamp(), claimed_by = excluded.claimed_by, sold_at = null
                    where (consumer_claims.lead_id = excluded.lead_id and consumer_claims.sold_at is null)
                       or consumer_claims.sold_at < clock_timestamp() - make_interval(days => ?)""")) {
            for (byte[] identity : identities) {
                claim.setString(1, buyerId);
                claim.setBytes(2, identity);
                claim.setString(3, leadId);
                claim.setString(4, instanceId);
                claim.setInt(5, windowDays);
                if (claim.executeUpdate() == 0) {
                    return Optional.of(duplicate(c, buyerId, identity, windowDays));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether any of the identities is on the buyer's suppression list. */
    Optional<RuleRefusal> suppressed(Connection c, String buyerId, List<byte[]> identities) throws SQLException {
        if (identities.isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement select = c.prepareStatement(
                "select 1 from buyer_suppressions where recipient_id = ? and identity = any(?) limit 1")) {
            select.setString(1, buyerId);
            select.setArray(2, c.createArrayOf("bytea", identities.toArray(new byte[0][])));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next()
                        ? Optional.of(new RuleRefusal(RuleRefusal.SUPPRESSED, "suppressions", "the consumer is on the buyer's suppression list"))
                        : Optional.empty();
            }
        }
    }

    /** Gives the lead's claims back; with an owner, only those that instance still holds. */
    void release(Connection c, String buyerId, String leadId, String owner) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("""
                delete from consumer_claims where recipient_id = ? and lead_id = ? and sold_at is null
                    and (?::text is null or claimed_by = ?)""")) {
            delete.setString(1, buyerId);
            delete.setString(2, leadId);
            delete.setString(3, owner);
            delete.setString(4, owner);
            delete.executeUpdate();
        }
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
    void sold(Connection c, String buyerId, String leadId, List<byte[]> identities, String instanceId) throws SQLException {
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

    private static RuleRefusal duplicate(Connection c, String buyerId, byte[] identity, int windowDays) throws SQLException {
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
}
