package io.leadrouter.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The days of {@code recipient_events} (partitioned by the UTC day of the events' timestamps, see
 * V13__events_by_day.sql) that are known to have their partition, so that a batch of events of a day
 * not seen yet has it made first. The retention job makes the next days ahead, so this rarely asks.
 */
final class EventPartitions {

    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    /** Makes the partitions of the events' days that are not known to exist yet. */
    void ensure(Connection connection, List<? extends JsonNode> events) throws SQLException {
        Set<LocalDate> missing = new TreeSet<>();
        for (JsonNode event : events) {
            LocalDate day = dayOf(event.path("timestamp").asText());
            if (day != null && !known.contains(day)) {
                missing.add(day);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (PreparedStatement make = connection.prepareStatement("select recipient_events_partition(?)")) {
            for (LocalDate day : missing) {
                make.setObject(1, day);
                make.execute();
                known.add(day);
            }
        }
    }

    /** After a day was dropped (by this instance's retention job or another's): ask again next time. */
    void forgetAll() {
        known.clear();
    }

    /** Whether the database refused a row for having no partition (its day was dropped meanwhile). */
    static boolean isMissingPartition(SQLException e) {
        return "23514".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().contains("no partition of relation");
    }

    /**
     * The UTC day of an event's timestamp, read from its first ten characters when it is in UTC (as
     * the router writes it); null when it is not a timestamp (the database then refuses the event).
     */
    static LocalDate dayOf(String timestamp) {
        try {
            if (timestamp.length() > 10 && timestamp.endsWith("Z")) {
                return LocalDate.parse(timestamp.substring(0, 10));
            }
            return OffsetDateTime.parse(timestamp).atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
