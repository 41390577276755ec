package io.leadrouter.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.buyers.BuyerFileChanges;
import io.leadrouter.model.Buyer;
import io.leadrouter.support.Json;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only {@code audit_log}: who changed what. Actors are API key ids ({@code key_…}), or
 * {@link #BUYER_FILES}, {@link #COMMAND_LINE} and {@link #ROUTER_START} for what no key did. Buyer
 * file changes name the fields that changed, never their values (a buyer holds no secret, only the
 * names of the variables that do).
 */
public final class AuditLog implements BuyerFileChanges {

    public static final String BUYER_FILES = "buyer-files";
    public static final String COMMAND_LINE = "command-line";
    public static final String ROUTER_START = "router-start";

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final DataSource dataSource;

    public AuditLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(String actor, String action, String subject, ObjectNode details) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into audit_log (actor, action, subject, details) values (?, ?, ?, ?::jsonb)")) {
            insert.setString(1, actor);
            insert.setString(2, action);
            insert.setString(3, subject);
            insert.setString(4, details.toString());
            insert.executeUpdate();
        }
    }

    @Override
    public void changed(Path file, String contentHash, Buyer before, Buyer after) {
        Buyer buyer = after != null ? after : before;
        ObjectNode details = Json.MAPPER.createObjectNode().put("file", file.getFileName().toString()).put("content_sha256", contentHash);
        String action = before == null ? "buyer.added" : after == null ? "buyer.removed" : "buyer.changed";
        if (before != null && after != null) {
            ArrayNode fields = details.putArray("fields_changed");
            for (RecordComponent component : Buyer.class.getRecordComponents()) {
                if (!component.getName().equals("sourceFile") && !Objects.equals(value(component, before), value(component, after))) {
                    fields.add(component.getName());
                }
            }
        }
        try {
            record(BUYER_FILES, action, buyer.id(), details);
        } catch (SQLException e) {
            LOG.error("Audit log: {} of {} from {} not recorded: {}", action, buyer.id(), file.getFileName(), e.getMessage());
        }
    }

    /** The newest entries first. */
    public ArrayNode recent(int limit) throws SQLException {
        ArrayNode entries = Json.MAPPER.createArrayNode();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select seq, at, actor, action, subject, details::text from audit_log order by seq desc limit ?")) {
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    JsonNode details = Json.MAPPER.readTree(rs.getString(6));
                    entries.addObject().put("seq", rs.getLong(1)).put("at", rs.getTimestamp(2).toInstant().toString())
                            .put("actor", rs.getString(3)).put("action", rs.getString(4)).put("subject", rs.getString(5))
                            .set("details", details);
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an audit entry is not JSON", e);
        }
        return entries;
    }

    private static Object value(RecordComponent component, Buyer buyer) {
        try {
            return component.getAccessor().invoke(buyer);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
