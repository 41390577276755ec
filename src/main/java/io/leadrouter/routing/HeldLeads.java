package io.leadrouter.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.intake.LeadStore;
import io.leadrouter.model.Lead;
import io.leadrouter.support.DatabaseOutage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leads held for a buyer whose circuit is open or paused (table held_leads): not attempted, not
 * dead-lettered, never dropped. The lead's walk goes on to the buyers after the held one (see
 * README, Circuit breaker); the held offer waits in the table, so it survives a restart and is
 * delivered by whichever instance releases it. A released row stays until the buyer is done with
 * the lead: if the releasing instance goes, another takes it back and releases it again.
 */
public final class HeldLeads {

    private static final Logger LOG = LoggerFactory.getLogger(HeldLeads.class);

    /** A held lead released to its buyer. */
    public record Released(Lead lead, String buyerId, Instant heldAt) {
    }

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final String instanceId;
    private final Set<String> lookedGoneLastTime = new HashSet<>();

    public HeldLeads(DataSource dataSource, ObjectMapper json, String instanceId) {
        this.dataSource = dataSource;
        this.json = json;
        this.instanceId = instanceId;
    }

    /** Why a lead is held for a buyer (column held_for). */
    public enum HeldFor {
        /** The buyer's circuit is open or it is paused: released when the circuit closes. */
        CIRCUIT,
        /** The buyer is closed (its schedule says hold): released when it opens. */
        SCHEDULE;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Step {@code hold-lead} of delivery-attempt: the buyer's circuit holds this lead. Held again
     * after a release, it keeps its place (its first held_at).
     */
    public void hold(Exchange exchange) throws SQLException {
        holdFor(exchange, HeldFor.CIRCUIT);
    }

    /** Holds the exchange's lead for its buyer, for the circuit or the buyer's hours. */
    public void holdFor(Exchange exchange, HeldFor reason) throws SQLException {
        Lead lead = exchange.getProperty(ExchangeKeys.LEAD, Lead.class);
        String buyerId = exchange.getProperty(ExchangeKeys.BUYER_ID, String.class);
        DatabaseOutage.waitOut("holding lead " + lead.leadId(), () -> exchange.getContext().getStatus().isStarted(), () -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement("""
                            insert into held_leads (recipient_id, lead_id, held_for) values (?, ?, ?)
                            on conflict (recipient_id, lead_id) do update
                                set released_at = null, released_by = null, held_for = excluded.held_for""")) {
                insert.setString(1, buyerId);
                insert.setString(2, lead.leadId());
                insert.setString(3, reason.column());
                return insert.executeUpdate();
            }
        });
        exchange.setProperty(ExchangeKeys.HELD, true);
        exchange.removeProperty(ExchangeKeys.PROBE_FAILED);
        LOG.debug("Lead {} held for buyer {} ({})", lead.leadId(), buyerId, reason);
    }

    /**
     * Claims up to {@code limit} of the buyer's held leads for this instance to deliver, the
     * longest held first. Only leads whose walk is over are released, so that a held buyer's
     * late delivery cannot race a later exclusive buyer still deciding on the same lead.
     */
    public List<Released> claim(String buyerId, int limit, HeldFor reason, Instant heldBefore) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement("""
                        with next as (
                            select h.recipient_id, h.lead_id from held_leads h join leads l on l.lead_id = h.lead_id
                            where h.recipient_id = ? and h.held_for = ? and h.released_at is null and l.completed_at is not null
                              and (?::timestamptz is null or h.held_at < ?)
                            order by h.held_at, h.lead_id limit ? for update of h skip locked),
                        claimed as (
                            update held_leads h set released_at = now(), released_by = ?
                            from next where h.recipient_id = next.recipient_id and h.lead_id = next.lead_id
                            returning h.lead_id, h.held_at)
                        select l.lead_id, l.payload, l.received_at, c.held_at from claimed c join leads l on l.lead_id = c.lead_id
                        order by c.held_at, c.lead_id""")) {
            claim.setString(1, buyerId);
            claim.setString(2, reason.column());
            Timestamp before = heldBefore == null ? null : Timestamp.from(heldBefore);
            claim.setTimestamp(3, before);
            claim.setTimestamp(4, before);
            claim.setInt(5, limit);
            claim.setString(6, instanceId);
            List<Released> released = new ArrayList<>();
            try (ResultSet rs = claim.executeQuery()) {
                while (rs.next()) {
                    released.add(new Released(LeadStore.readLead(rs, json), buyerId, rs.getObject(4, OffsetDateTime.class).toInstant()));
                }
            }
            return released;
        }
    }

    /** The buyer is done with a released lead (delivered, refused or dead-lettered): its row goes. */
    public void finished(String leadId, String buyerId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "delete from held_leads where recipient_id = ? and lead_id = ? and released_at is not null")) {
            delete.setString(1, buyerId);
            delete.setString(2, leadId);
            delete.executeUpdate();
        }
    }

    /** Every buyer's held leads, released ones still under way included. */
    public Map<String, Long> heldByBuyer() throws SQLException {
        return countBy("select recipient_id, count(*) from held_leads group by recipient_id");
    }

    /**
     * Puts back the leads released by instances that are gone before their buyer was done with
     * them, so that they are released again. As with orphaned leads, an instance counts as gone
     * once it looked gone at two sweeps in a row.
     */
    public synchronized int takeBackAbandoned() throws SQLException {
        int takenBack = 0;
        Set<String> goneNow = new HashSet<>();
        try (Connection connection = dataSource.getConnection()) {
            List<String> releasers = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "select distinct released_by from held_leads where released_at is not null and released_by <> ?")) {
                select.setString(1, instanceId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        releasers.add(rs.getString(1));
                    }
                }
            }
            for (String releaser : releasers) {
                if (!InstancePresence.isGone(connection, releaser)) {
                    continue;
                }
                goneNow.add(releaser);
                if (lookedGoneLastTime.contains(releaser)) {
                    try (PreparedStatement reset = connection.prepareStatement(
                            "update held_leads set released_at = null, released_by = null where released_by = ?")) {
                        reset.setString(1, releaser);
                        takenBack += reset.executeUpdate();
                    }
                }
            }
        }
        lookedGoneLastTime.clear();
        lookedGoneLastTime.addAll(goneNow);
        if (takenBack > 0) {
            LOG.info("{} held lead(s) released by router instance(s) gone before their buyer was done: released again", takenBack);
        }
        return takenBack;
    }

    private Map<String, Long> countBy(String sql) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql);
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }
}
