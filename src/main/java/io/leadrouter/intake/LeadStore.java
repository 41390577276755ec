package io.leadrouter.intake;

import io.leadrouter.model.Lead;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
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

    /** What storing a lead came to. */
    public enum Stored {
        /** stored now */
        NEW,
        /** a lead with this id and the same payload was stored before: a client's retry, harmless */
        REPEAT,
        /** a lead with this id but another payload was stored before: refused, the first one is kept */
        CONFLICT
    }

    /** Why a lead whose id was used before for another lead is refused. */
    public static String conflict(String leadId) {
        return "lead_id " + leadId + " was already used for a different lead, which is kept; "
                + "send this lead with a new lead_id (or none)";
    }

    /**
     * Stores new leads in one statement (one transaction), all or none.
     *
     * @return what became of each lead, in the order given
     */
    public List<Stored> insertAll(List<NewLead> leads) throws SQLException {
        Object[] ids = leads.stream().map(l -> l.lead().leadId()).toArray();
        Object[] payloads = leads.stream().map(l -> l.lead().payload().toString()).toArray();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        insert into leads (lead_id, payload, source, received_at, owner)
                        select *, ? from unnest(?::text[], ?::text[]::jsonb[], ?::text[], ?::timestamptz[])
                        on conflict (lead_id) do nothing
                        returning lead_id""")) {
            insert.setString(1, owner);
            insert.setArray(2, connection.createArrayOf("text", ids));
            insert.setArray(3, connection.createArrayOf("text", payloads));
            insert.setArray(4, connection.createArrayOf("text", leads.stream().map(NewLead::source).toArray()));
            insert.setArray(5, connection.createArrayOf("timestamptz",
                    leads.stream().map(l -> Timestamp.from(l.lead().receivedAt())).toArray()));
            Set<String> inserted = new HashSet<>();
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1));
                }
            }
            if (inserted.size() == leads.size()) {
                return Collections.nCopies(leads.size(), Stored.NEW); // the usual case: no second look
            }
            return outcomes(connection, ids, payloads, inserted);
        }
    }

    /** Compares each lead with the stored one of its id (jsonb equality: key order and 1.0 vs 1.00 do not matter). */
    private static List<Stored> outcomes(Connection connection, Object[] ids, Object[] payloads, Set<String> inserted)
            throws SQLException {
        boolean[] samePayload = new boolean[ids.length];
        try (PreparedStatement compare = connection.prepareStatement("""
                select c.ord, l.payload = c.payload
                from unnest(?::text[], ?::text[]::jsonb[]) with ordinality c(id, payload, ord)
                join leads l on l.lead_id = c.id""")) {
            compare.setArray(1, connection.createArrayOf("text", ids));
            compare.setArray(2, connection.createArrayOf("text", payloads));
            try (ResultSet rs = compare.executeQuery()) {
                while (rs.next()) {
                    samePayload[rs.getInt(1) - 1] = rs.getBoolean(2);
                }
            }
        }
        List<Stored> outcomes = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            // the same id twice in one batch: the first with the stored payload is the new lead
            outcomes.add(!samePayload[i] ? Stored.CONFLICT : inserted.remove((String) ids[i]) ? Stored.NEW : Stored.REPEAT);
        }
        return outcomes;
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
