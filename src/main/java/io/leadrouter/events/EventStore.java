package io.leadrouter.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code recipient_events} table: the source of truth for what happened to every lead. */
public final class EventStore {

    /**
     * One statement per batch (one round trip, and one firing of the outbox trigger), each event sent
     * once as its JSON text: PostgreSQL reads the columns out of it, so the router neither walks the
     * event again nor parses its timestamp. The price is the delivery's (or the attempted price of a
     * failure), else the planned one; a column whose JSON value is not a number is null.
     */
    private static final String INSERT = """
            insert into recipient_events (event_id, event_type, lead_id, recipient_id, occurred_at, outcome,
                failure_category, failure_reason, duration_ms, price, event, request)
            select (e ->> 'event_id')::uuid, e ->> 'event_type', e ->> 'lead_id', e -> 'recipient' ->> 'id',
                (e ->> 'timestamp')::timestamptz, e ->> 'outcome', e -> 'failure' ->> 'category', e -> 'failure' ->> 'reason',
                case when jsonb_typeof(e -> 'duration_ms') = 'number' then trunc((e ->> 'duration_ms')::numeric)::int end,
                case when jsonb_typeof(paid.price) = 'number' then paid.price::text::numeric
                     when jsonb_typeof(e -> 'delivery_plan' -> 'price') = 'number' then (e -> 'delivery_plan' ->> 'price')::numeric
                end,
                e, request
            from unnest(?::text[]::jsonb[], ?::text[]::jsonb[]) with ordinality as batch(e, request, n)
            cross join lateral (select coalesce(e -> 'delivery' -> 'price', e -> 'delivery' -> 'attempted_price') as price) as paid
            order by n
            on conflict (event_id, occurred_at) do nothing""";

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final EventPartitions partitions = new EventPartitions();

    public EventStore(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /**
     * Appends events in one statement, all or none. Appending an event_id that is already there
     * keeps the first (exactly once in the table).
     */
    public void appendAll(List<? extends JsonNode> events) throws SQLException {
        appendAll(events, Collections.nCopies(events.size(), null));
    }

    /**
     * The same, each event with the request its attempt sent the buyer (null for none), stored in
     * the {@code request} column beside it.
     */
    public void appendAll(List<? extends JsonNode> events, List<? extends JsonNode> requests) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try {
                append(connection, events, requests);
            } catch (SQLException e) {
                if (!EventPartitions.isMissingPartition(e)) {
                    throw e;
                }
                // a day dropped by retention since this instance last saw it: made again, and the events written
                partitions.forgetAll();
                append(connection, events, requests);
            }
        }
    }

    /** Appends events within the caller's transaction (feedback decides and records under one lock). */
    public void appendAll(Connection connection, List<? extends JsonNode> events) throws SQLException {
        append(connection, events, Collections.nCopies(events.size(), null));
    }

    /** After retention dropped days: their partitions are made again if an event of one comes. */
    public void daysDropped() {
        partitions.forgetAll();
    }

    private void append(Connection connection, List<? extends JsonNode> events, List<? extends JsonNode> requests)
            throws SQLException {
        partitions.ensure(connection, events);
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setArray(1, connection.createArrayOf("text", events.stream().map(JsonNode::toString).toArray()));
            insert.setArray(2, connection.createArrayOf("text", requests.stream().map(r -> r == null ? null : r.toString()).toArray()));
            insert.executeUpdate();
        }
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
}
