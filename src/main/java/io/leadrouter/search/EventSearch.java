package io.leadrouter.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.events.EventJson;
import io.leadrouter.support.Json;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Finds events by their filters: a page at a time for {@code GET /events}, or all of them as a stream
 * for {@code GET /exports/events}. Both walk recipient_events in (timestamp, seq) order, the keyset the
 * cursor names, along the index recipient_events_time (V10).
 */
public final class EventSearch {

    public static final int MAX_LIMIT = 1000;
    public static final int DEFAULT_LIMIT = 100;

    private final DataSource dataSource;

    public EventSearch(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One page of a listing: its events (in the spec's field order) and the cursor of the next, if there are more. */
    public record Page(ArrayNode events, Optional<EventCursor> next) {
    }

    /** Up to {@code limit} events after the cursor (from the first when empty). */
    public Page page(EventFilter filter, Optional<EventCursor> after, int limit) throws SQLException {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit " + limit + " is not from 1 to " + MAX_LIMIT);
        }
        ArrayNode events = Json.MAPPER.createArrayNode();
        Optional<EventCursor> next = Optional.empty();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = prepare(c, filter, after, limit + 1);
                ResultSet rs = s.executeQuery()) {
            Instant lastAt = null;
            long lastSeq = 0;
            while (rs.next()) {
                if (events.size() == limit) {
                    next = Optional.of(EventCursor.after(lastAt, lastSeq, filter)); // one more row than the page: there is a next
                    break;
                }
                lastSeq = rs.getLong(1);
                lastAt = rs.getObject(2, OffsetDateTime.class).toInstant();
                events.add(EventJson.inSpecOrder((ObjectNode) Json.MAPPER.readTree(rs.getString(3))));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("an event's stored JSON is unreadable: " + e.getOriginalMessage(), e);
        }
        return new Page(events, next);
    }

    /**
     * Every event the filters find, written in the format as it is read (gzip-compressed when asked):
     * the stream holds one batch of rows at a time and one database connection until it is read to
     * its end or closed.
     */
    public InputStream export(EventFilter filter, ExportFormat format, boolean gzip) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(false); // PostgreSQL's driver fetches in batches only inside a transaction
            c.setReadOnly(true);
            PreparedStatement s = prepare(c, filter, Optional.empty(), 0);
            s.setFetchSize(ExportStream.ROWS_PER_BATCH);
            return new ExportStream(c, s, s.executeQuery(), format, gzip);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The listing's statement: each filter an equality on its column or a bound of the range; limit 0 for none. */
    private static PreparedStatement prepare(Connection c, EventFilter filter, Optional<EventCursor> after, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("select seq, occurred_at, event from recipient_events where true");
        List<Object> parameters = new ArrayList<>();
        filter.equal().forEach((name, value) -> {
            sql.append(" and ").append(EventFilter.COLUMNS.get(name)).append(" = ?");
            parameters.add(value);
        });
        filter.from().ifPresent(at -> {
            sql.append(" and occurred_at >= ?");
            parameters.add(utc(at));
        });
        filter.to().ifPresent(at -> {
            sql.append(" and occurred_at < ?");
            parameters.add(utc(at));
        });
        String direction = filter.newestFirst() ? "desc" : "asc";
        after.ifPresent(cursor -> {
            sql.append(" and (occurred_at, seq) ").append(filter.newestFirst() ? "<" : ">").append(" (?, ?)");
            parameters.add(utc(cursor.occurredAt()));
            parameters.add(cursor.seq());
        });
        sql.append(" order by occurred_at ").append(direction).append(", seq ").append(direction);
        if (limit > 0) {
            sql.append(" limit ").append(limit);
        }
        PreparedStatement s = c.prepareStatement(sql.toString());
        for (int i = 0; i < parameters.size(); i++) {
            s.setObject(i + 1, parameters.get(i));
        }
        return s;
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The event's JSON as stored (PostgreSQL's key order), for the export's writers. */
    static JsonNode parse(String event) throws java.io.IOException {
        return Json.MAPPER.readTree(event);
    }
}
