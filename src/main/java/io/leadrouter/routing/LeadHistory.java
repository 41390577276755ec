package io.leadrouter.routing;

import io.leadrouter.model.Buyer;
import io.leadrouter.buyers.BuyerCatalog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import javax.sql.DataSource;

/**
 * What already happened to a lead, read from its events and dead letters, so that a lead picked
 * up again after a restart is not offered twice to a buyer that finished with it.
 */
public final class LeadHistory {

    private final DataSource dataSource;
    private final BuyerCatalog catalog;

    public LeadHistory(DataSource dataSource, BuyerCatalog catalog) {
        this.dataSource = dataSource;
        this.catalog = catalog;
    }

    /** What the events say of one lead: who is done with it, who bought it, whether exclusively. */
    public record Past(Set<String> finished, Set<String> boughtBy, boolean soldExclusively) {

        public boolean sold() {
            return !boughtBy.isEmpty();
        }

        /** Whether the lead may (still) go to this buyer: not bought by it, and not against an exclusive sale. */
        public boolean mayGoTo(Buyer buyer) {
            return !soldExclusively && !boughtBy.contains(buyer.id()) && !(buyer.exclusive() && sold());
        }
    }

    public WavePlan planFor(String leadId) throws SQLException {
        Past past = pastOf(leadId);
        return new WavePlan(catalog.enabledByPriority(), past.finished(), past.sold(), past.soldExclusively());
    }

    public Past pastOf(String leadId) throws SQLException {
        Set<String> finished = new HashSet<>();
        Set<String> boughtBy = new HashSet<>();
        boolean soldExclusively = false;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        select e.recipient_id, e.event_type,
                               coalesce((e.event -> 'failure' ->> 'retry_eligible')::boolean, false) as retry_eligible,
                               (e.event -> 'metadata' ->> 'attempt_number')::int >= (e.event -> 'metadata' ->> 'total_attempts')::int as last,
                               -- exclusive as the buyer was when offered the lead, not as its file says now
                               coalesce((select (a.event -> 'delivery_plan' ->> 'exclusive')::boolean from recipient_events a
                                         where a.lead_id = e.lead_id and a.recipient_id = e.recipient_id
                                           and a.event_type = 'recipient.delivery_attempt'
                                         order by a.seq desc limit 1), false) as exclusive
                        from recipient_events e
                        where e.lead_id = ? and e.event_type in ('recipient.delivered', 'recipient.failed')
                        union all
                        select recipient_id, 'dead_letter', false, true, false from dead_letters where lead_id = ?""")) {
            select.setString(1, leadId);
            select.setString(2, leadId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String buyerId = rs.getString(1);
                    boolean delivered = rs.getString(2).equals("recipient.delivered");
                    if (delivered) {
                        boughtBy.add(buyerId);
                        soldExclusively |= rs.getBoolean(5);
                    }
                    if (delivered || !rs.getBoolean(3) || rs.getBoolean(4)) {
                        finished.add(buyerId);
                    }
                }
            }
        }
        return new Past(finished, boughtBy, soldExclusively);
    }

    public WavePlan planForNewLead() {
        return new WavePlan(catalog.enabledByPriority(), Set.of(), false, false);
    }
}
