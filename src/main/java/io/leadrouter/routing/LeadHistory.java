package io.leadrouter.routing;

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

    public BuyerQueue queueFor(String leadId) throws SQLException {
        Set<String> finished = new HashSet<>();
        boolean sold = false;
        boolean soldExclusively = false;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        select recipient_id, event_type,
                               coalesce((event -> 'failure' ->> 'retry_eligible')::boolean, false) as retry_eligible,
                               (event -> 'metadata' ->> 'attempt_number')::int >= (event -> 'metadata' ->> 'total_attempts')::int as last
                        from recipient_events
                        where lead_id = ? and event_type in ('recipient.delivered', 'recipient.failed')
                        union all
                        select recipient_id, 'dead_letter', false, true from dead_letters where lead_id = ?""")) {
            select.setString(1, leadId);
            select.setString(2, leadId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String buyerId = rs.getString(1);
                    boolean delivered = rs.getString(2).equals("recipient.delivered");
                    if (delivered) {
                        sold = true;
                        soldExclusively |= catalog.find(buyerId).map(b -> b.exclusive()).orElse(false);
                    }
                    if (delivered || !rs.getBoolean(3) || rs.getBoolean(4)) {
                        finished.add(buyerId);
                    }
                }
            }
        }
        return new BuyerQueue(catalog.enabledByPriority(), finished, sold, soldExclusively);
    }

    public BuyerQueue queueForNewLead() {
        return new BuyerQueue(catalog.enabledByPriority(), Set.of(), false, false);
    }
}
