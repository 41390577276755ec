package io.leadrouter.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The {@code recipient_events} table: the source of truth for what happened to every lead. */
public final class EventStore {

    private static final String INSERT = """
            insert into recipient_events (event_id, event_type, lead_id, recipient_id, occurred_at, outcome,
                failure_category, failure_reason, duration_ms, price, event)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))
            on conflict (event_id) do nothing""";

    private final DataSource dataSource;
    private final ObjectMapper json;

    public EventStore(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /**
     * Appends events in one transaction, all or none. Appending an event_id that is already there
     * keeps the first (exactly once in the table).
     */
    public void appendAll(List<? extends JsonNode> events) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            connection.setAutoCommit(false);
            try {
                for (JsonNode event : events) {
                    bind(insert, event);
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (AssertionError driverFault) {
                // pgjdbc's executeBatch throws this on a connection terminated under it (the cause says so):
                // a failure like any other, so that an outage is waited out, not the writer thread ended
                throw new SQLException("the batch insert failed: " + driverFault.getMessage(), driverFault);
            } catch (SQLException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback); // a broken connection: the insert's own failure is the one to report
                }
                throw e;
            }
            // the pool gives the connection back with auto-commit on again
        }
    }

    private static void bind(PreparedStatement insert, JsonNode event) throws SQLException {
        insert.setObject(1, UUID.fromString(event.path("event_id").asText()));
        insert.setString(2, event.path("event_type").asText());
        insert.setString(3, event.path("lead_id").asText());
        insert.setString(4, textOrNull(event.path("recipient").path("id")));
        insert.setTimestamp(5, Timestamp.from(Instant.parse(event.path("timestamp").asText())));
        insert.setString(6, textOrNull(event.path("outcome")));
        insert.setString(7, textOrNull(event.path("failure").path("category")));
        insert.setString(8, textOrNull(event.path("failure").path("reason")));
        JsonNode duration = event.path("duration_ms");
        if (duration.isNumber()) {
            insert.setInt(9, duration.intValue());
        } else {
            insert.setNull(9, Types.INTEGER);
        }
        insert.setBigDecimal(10, price(event));
        insert.setString(11, event.toString());
    }

    /**
     * The highest attempt number recorded for this lead at this buyer (0 for none): a lead resumed
     * after a crash or a stop goes on counting from there, so that a cut attempt counts as made.
     * A resumed walk never offers the lead to a buyer with a dead letter, so replayed rounds
     * (which count from 1 again) do not mix in.
     */
    public int attemptsRecorded(String leadId, String buyerId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        select coalesce(max((event -> 'metadata' ->> 'attempt_number')::int), 0) from recipient_events
                        where lead_id = ? and recipient_id = ? and event_type = 'recipient.delivery_attempt'""")) {
            select.setString(1, leadId);
            select.setString(2, buyerId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The lead's events in the order they were written (seq, the firehose's order), or empty when the lead is unknown. */
    public Optional<ArrayNode> eventsOfLead(String leadId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement known = connection.prepareStatement("select 1 from leads where lead_id = ?");
                PreparedStatement select = connection.prepareStatement(
                        "select event from recipient_events where lead_id = ? order by seq")) {
            known.setString(1, leadId);
            try (ResultSet rs = known.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
            }
            select.setString(1, leadId);
            ArrayNode events = json.createArrayNode();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    events.add(EventJson.inSpecOrder((com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(rs.getString(1))));
                }
            }
            return Optional.of(events);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored event is not valid JSON", e);
        }
    }

    private static BigDecimal price(JsonNode event) {
        JsonNode delivery = event.path("delivery");
        JsonNode price = delivery.has("price") ? delivery.get("price") : delivery.path("attempted_price");
        if (!price.isNumber()) {
            price = event.path("delivery_plan").path("price");
        }
        return price.isNumber() ? price.decimalValue() : null;
    }

    private static String textOrNull(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }
}
