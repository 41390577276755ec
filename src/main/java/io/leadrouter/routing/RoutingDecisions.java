package io.leadrouter.routing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Writes why a buyer was not offered a lead (table routing_decisions), when its rule said so. */
public final class RoutingDecisions {

    private final DataSource dataSource;

    public RoutingDecisions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(String leadId, String buyerId, RuleRefusal refusal) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "insert into routing_decisions (lead_id, recipient_id, decision, rule, detail) values (?, ?, ?, ?, ?)")) {
            insert.setString(1, leadId);
            insert.setString(2, buyerId);
            insert.setString(3, refusal.decision());
            insert.setString(4, refusal.rule());
            insert.setString(5, refusal.detail());
            insert.executeUpdate();
        }
    }
}
