package io.leadrouter.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** The {@code leads} table: a lead is here, durably, before intake says 202. */
public final class LeadStore {

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final String owner;

    /** @param owner the id of this router instance, which walks the leads it stores */
    public LeadStore(DataSource dataSource, ObjectMapper json, String owner) {
        this.dataSource = dataSource;
        this.json = json;
        this.owner = owner;
    }

    /** A lead to store, and where it came from ({@code http}, {@code kafka}). */
    public record NewLead(Lead lead, String source) {
    }

    /**
     * Stores new leads in one transaction, all or none.
     *
     * @return the ids of the leads stored now (a lead whose id is already stored, a client's retry, is left out)
     */
    public Set<String> insertAll(List<NewLead> leads) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into leads (lead_id, payload, source, received_at, owner)
                        select *, ? from unnest(?::text[], ?::text[]::jsonb[], ?::text[], ?::timestamptz[])
                        on conflict (lead_id) do nothing
                        returning lead_id""")) {
            insert.setString(1, owner);
            insert.setArray(2, connection.createArrayOf("text", leads.stream().map(l -> l.lead().leadId()).toArray()));
            insert.setArray(3, connection.createArrayOf("text", leads.stream().map(l -> l.lead().payload().toString()).toArray()));
            insert.setArray(4, connection.createArrayOf("text", leads.stream().map(NewLead::source).toArray()));
            insert.setArray(5, connection.createArrayOf("timestamptz",
                    leads.stream().map(l -> Timestamp.from(l.lead().receivedAt())).toArray()));
            Set<String> inserted = new HashSet<>();
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
            return inserted;
        }
    }

    public Optional<Lead> find(String leadId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select lead_id, payload, received_at from leads where lead_id = ?")) {
            select.setString(1, leadId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(readLead(rs, json)) : Optional.empty();
            }
        }
    }

    /** A lead from a row whose first columns are lead_id, payload and received_at. */
    public static Lead readLead(ResultSet rs, ObjectMapper json) throws SQLException {
        try {
            return new Lead(rs.getString(1), (ObjectNode) json.readTree(rs.getString(2)), rs.getTimestamp(3).toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException("stored lead " + rs.getString(1) + " is not valid JSON", e);
        }
    }
}
