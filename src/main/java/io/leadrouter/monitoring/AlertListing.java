package io.leadrouter.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** GET /alerts: the open alerts and those raised in the last 7 days, newest first. */
public final class AlertListing {

    private final DataSource dataSource;
    private final ObjectMapper json;

    public AlertListing(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public ArrayNode openAndRecent() throws SQLException {
        ArrayNode alerts = json.createArrayNode();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement("""
                select id, alert, recipient_id, raised_at::text, resolved_at::text, value, threshold, message from alerts
                where resolved_at is null or raised_at > now() - interval '7 days'
                order by raised_at desc, id desc limit 1000""");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                ObjectNode alert = alerts.addObject();
                alert.put("id", rs.getLong(1));
                alert.put("alert", rs.getString(2));
                alert.put("recipient_id", rs.getString(3));
                alert.put("status", rs.getString(5) == null ? "open" : "resolved");
                alert.put("raised_at", rs.getString(4));
                alert.put("resolved_at", rs.getString(5));
                alert.put("value", rs.getDouble(6));
                alert.put("threshold", rs.getDouble(7));
                alert.put("message", rs.getString(8));
            }
        }
        return alerts;
    }
}
