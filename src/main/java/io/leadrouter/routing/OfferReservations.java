package io.leadrouter.routing;

import io.leadrouter.model.Buyer;
import io.leadrouter.model.Lead;
import io.leadrouter.model.RoutingRules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an offer to a buyer takes from the database before the call, in one transaction: the
 * suppression list checked, the consumer claimed ({@link ConsumerClaims}), a cap slot reserved
 * ({@link CapCounters}); all or nothing. Once the buyer is done with the lead they are kept (it
 * bought) or given back. What an instance reserved and left behind when it went is given back by
 * the sweep, unless the events say the buyer bought the lead.
 */
public final class OfferReservations {

    private static final Logger LOG = LoggerFactory.getLogger(OfferReservations.class);

    private final DataSource dataSource;
    private final String instanceId;
    private final Clock clock;
    private final CapCounters caps = new CapCounters();
    private final ConsumerClaims claims = new ConsumerClaims();
    /** An instance whose presence lock was free this long is gone: what it reserved and left is settled by the others. */
    static final Duration GONE_FOR = Duration.ofSeconds(30);

    /** Instances that looked gone at the last sweep, and since when. */
    private final Map<String, Instant> goneSince = new HashMap<>();
    /** Buyers with a suppression list, so that the others' offers do not ask the database (refreshed at every sweep). */
    private volatile Set<String> suppressing = Set.of();

    public OfferReservations(DataSource dataSource, String instanceId, Clock clock) {
        this.dataSource = dataSource;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    /** Whether an offer of a lead to this buyer needs the database before its call. */
    public boolean needed(Buyer buyer) {
        return buyer.rules().reserves() || suppressing.contains(buyer.id());
    }

    /** Reserves what the offer needs, or answers the rule that says no (nothing reserved then). */
    public Optional<RuleRefusal> reserve(Buyer buyer, Lead lead) throws SQLException {
        RoutingRules rules = buyer.rules();
        List<byte[]> identities = dedupeIdentities(buyer, lead);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // suppression lists hold e-mails and phones: checked against those, whatever the dedupe fields are
                Optional<RuleRefusal> refusal = suppressing.contains(buyer.id())
                        ? claims.suppressed(c, buyer.id(), ConsumerIdentities.of(lead.payload(), suppressionFields(rules)))
                        : Optional.empty();
                if (refusal.isEmpty() && rules.dedupe() != null) {
                    refusal = claims.claim(c, buyer.id(), lead.leadId(), identities, rules.dedupe().windowDays(), instanceId);
                }
                if (refusal.isEmpty() && !rules.caps().isEmpty()) {
                    refusal = caps.reserve(c, buyer, lead.leadId(), clock.instant(), instanceId);
                }
                if (refusal.isPresent()) {
                    c.rollback();
                } else {
                    c.commit();
                }
                return refusal;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The buyer bought the lead: its slot and its consumer stay taken. */
    public void sold(Buyer buyer, Lead lead) throws SQLException {
        List<byte[]> identities = buyer.rules().dedupe() != null ? dedupeIdentities(buyer, lead) : List.of();
        inTransaction(c -> {
            caps.sold(c, buyer, lead.leadId(), clock.instant(), instanceId);
            claims.sold(c, buyer.id(), lead.leadId(), identities, instanceId);
        });
    }

    /** The buyer bought the lead, and its file is unknown here (gone): its slot and consumer stay taken as they are. */
    void markSold(String buyerId, String leadId) throws SQLException {
        inTransaction(c -> {
            CapCounters.markSold(c, buyerId, leadId);
            ConsumerClaims.markSold(c, buyerId, leadId);
        });
    }

    private static List<byte[]> dedupeIdentities(Buyer buyer, Lead lead) {
        RoutingRules.Dedupe dedupe = buyer.rules().dedupe();
        return ConsumerIdentities.of(lead.payload(), dedupe != null ? dedupe.fields() : RoutingRules.Dedupe.DEFAULT_FIELDS);
    }

    private static List<String> suppressionFields(RoutingRules rules) {
        if (rules.dedupe() == null) {
            return RoutingRules.Dedupe.DEFAULT_FIELDS;
        }
        Set<String> fields = new java.util.LinkedHashSet<>(RoutingRules.Dedupe.DEFAULT_FIELDS);
        fields.addAll(rules.dedupe().fields());
        return List.copyOf(fields);
    }

    /** The buyer did not buy the lead (refused, failed, or the lead was held): its slot and consumer are free again. */
    public void release(String buyerId, String leadId) throws SQLException {
        release(buyerId, leadId, null);
    }

    private void release(String buyerId, String leadId, String owner) throws SQLException {
        inTransaction(c -> {
            caps.release(c, buyerId, leadId, owner);
            claims.release(c, buyerId, leadId, owner);
        });
    }

    /** A buyer now has a suppression list: its offers check it from now on (other instances learn at their sweep). */
    void noteSuppressions(String buyerId) {
        Set<String> now = new HashSet<>(suppressing);
        now.add(buyerId);
        suppressing = Set.copyOf(now);
    }

    /**
     * The sweep: learns which buyers have suppression lists, and gives back what instances that are
     * gone reserved and never settled (kept as sold where the buyer's delivered event says it bought).
     */
    public synchronized void sweep() throws SQLException {
        Instant now = clock.instant();
        Map<String, Instant> goneNow = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            suppressing = Set.copyOf(strings(c, "select distinct recipient_id from buyer_suppressions"));
            for (String owner : strings(c, """
                    select reserved_by from cap_reservations where sold_at is null
                    union select claimed_by from consumer_claims where sold_at is null""")) {
                if (owner.equals(instanceId) || !InstancePresence.isGone(c, owner)) {
                    continue;
                }
                Instant since = goneSince.getOrDefault(owner, now);
                goneNow.put(owner, since);
                // gone that long, not a live instance whose presence session dropped a moment (it renews it)
                if (!since.plus(GONE_FOR).isAfter(now)) {
                    settleLeftBy(c, owner);
                }
            }
        }
        goneSince.clear();
        goneSince.putAll(goneNow);
    }

    private void settleLeftBy(Connection c, String owner) throws SQLException {
        List<String[]> left = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("""
                select recipient_id, lead_id,
                       exists (select 1 from recipient_events e where e.lead_id = o.lead_id and e.recipient_id = o.recipient_id
                               and e.event_type = 'recipient.delivered')
                from (select recipient_id, lead_id from cap_reservations where reserved_by = ? and sold_at is null
                      union select recipient_id, lead_id from consumer_claims where claimed_by = ? and sold_at is null) o""")) {
            select.setString(1, owner);
            select.setString(2, owner);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    left.add(new String[] {rs.getString(1), rs.getString(2), Boolean.toString(rs.getBoolean(3))});
                }
            }
        }
        for (String[] offer : left) {
            if (Boolean.parseBoolean(offer[2])) {
                markSold(offer[0], offer[1]);
            } else {
                release(offer[0], offer[1], owner);
            }
        }
        LOG.info("{} offer reservation(s) left by router instance {}, gone, settled", left.size(), owner);
    }

    @FunctionalInterface
    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private void inTransaction(Work work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(sql); ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
