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
 * What an offer to a buyer takes from the database before the call, in one call of the database
 * function offer_reserve: the suppression list checked, the consumer claimed ({@link ConsumerClaims}),
 * a cap slot reserved ({@link CapCounters}); all or nothing. Once the buyer is done with the lead they are kept (it
 * bought) or given back. What an instance reserved and left behind when it went is given back by
 * the sweep, unless the events say the buyer bought the lead.
 */
public final class OfferReservations {

    private static final Logger LOG = LoggerFactory.getLogger(OfferReservations.class);

    private final DataSource dataSource;
    private final String instanceId;
    private final Clock clock;
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

    /**
     * Reserves what the offer needs, or answers the rule that says no (nothing reserved then): one call of
     * the database function offer_reserve, so the buyer's shared cap rows are locked for one statement.
     */
    public Optional<RuleRefusal> reserve(Buyer buyer, Lead lead) throws SQLException {
        RoutingRules rules = buyer.rules();
        Optional<RuleRefusal> outright = CapCounters.refusedOutright(buyer);
        if (outright.isPresent()) {
            return outright;
        }
        List<byte[]> identities = rules.dedupe() != null ? dedupeIdentities(buyer, lead) : List.of();
        // suppression lists hold e-mails and phones: checked against those, whatever the dedupe fields are
        List<byte[]> suppressed = suppressing.contains(buyer.id()) ? ConsumerIdentities.of(lead.payload(), suppressionFields(rules)) : null;
        CapCounters.Slot slot = rules.caps().isEmpty() ? CapCounters.Slot.NONE : CapCounters.slotFor(buyer, clock.instant());
        try (Connection c = dataSource.getConnection();
                PreparedStatement reserve = c.prepareStatement("select offer_reserve(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            reserve.setString(1, buyer.id());
            reserve.setString(2, lead.leadId());
            reserve.setString(3, instanceId);
            reserve.setBigDecimal(4, buyer.price());
            reserve.setArray(5, suppressed == null ? null : c.createArrayOf("bytea", suppressed.toArray(new byte[0][])));
            reserve.setArray(6, c.createArrayOf("bytea", identities.toArray(new byte[0][])));
            reserve.setObject(7, rules.dedupe() == null ? null : rules.dedupe().windowDays(), java.sql.Types.INTEGER);
            reserve.setArray(8, c.createArrayOf("text", slot.periods().toArray()));
            reserve.setArray(9, c.createArrayOf("timestamptz", slot.starts().toArray()));
            reserve.setArray(10, c.createArrayOf("int4", slot.mostLeads().toArray()));
            reserve.setArray(11, c.createArrayOf("numeric", slot.mostAmount().toArray()));
            String saidNo;
            try (ResultSet rs = reserve.executeQuery()) {
                rs.next();
                saidNo = rs.getString(1);
            }
            if (saidNo == null) {
                return Optional.empty();
            }
            if (saidNo.equals("suppressed")) {
                return Optional.of(ConsumerClaims.suppressed());
            }
            String[] what = saidNo.split(":", 2);
            return Optional.of(what[0].equals("duplicate")
                    ? ConsumerClaims.duplicate(c, buyer.id(), identities.get(Integer.parseInt(what[1]) - 1), rules.dedupe().windowDays())
                    : CapCounters.refusal(c, buyer, what[1], slot));
        }
    }

    /** The buyer bought the lead: its slot and its consumer stay taken. */
    public void sold(Buyer buyer, Lead lead) throws SQLException {
        List<byte[]> identities = buyer.rules().dedupe() != null ? dedupeIdentities(buyer, lead) : List.of();
        inTransaction(c -> {
            CapCounters.sold(c, buyer, lead.leadId(), clock.instant(), instanceId);
            ConsumerClaims.sold(c, buyer.id(), lead.leadId(), identities, instanceId);
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
        return ConsumerIdentities.of(lead.payload(), buyer.rules().dedupe().fields());
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

    /** One call of the database function offer_release (the buyer's shared cap rows locked for one statement). */
    private void release(String buyerId, String leadId, String owner) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement release = c.prepareStatement("select offer_release(?, ?, ?)")) {
            release.setString(1, buyerId);
            release.setString(2, leadId);
            release.setString(3, owner);
            release.execute();
        }
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
            suppressing = Set.copyOf(SuppressionLists.buyersWithLists(c, false));
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
