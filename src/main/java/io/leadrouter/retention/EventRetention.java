package io.leadrouter.retention;

import io.leadrouter.events.EventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention job's round: events older than {@code leadrouter.retention.days} go by whole UTC days
 * (their partitions dropped, each recorded in event_retention, see V13__events_by_day.sql), then the
 * leads and dead letters of that age whose routing is over, and the analytics rollups older than
 * {@code leadrouter.retention.rollup-days}. It also makes the partitions of the next days, so that
 * writing events never waits for one. Every step is a database function owned by the tables' owner:
 * the router's own role cannot delete events.
 */
public final class EventRetention {

    private static final Logger LOG = LoggerFactory.getLogger(EventRetention.class);

    /** What one round did. */
    public record Round(List<LocalDate> daysDropped, long eventsDropped, long leadsDropped, long deadLettersDropped,
            long rollupRowsDropped) {
    }

    private final DataSource dataSource;
    private final EventStore events;
    private final RetentionPolicy policy;
    private final Clock clock;

    public EventRetention(DataSource dataSource, EventStore events, RetentionPolicy policy, Clock clock) {
        this.dataSource = dataSource;
        this.events = events;
        this.policy = policy;
        this.clock = clock;
    }

    public Round round() throws SQLException {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        try (Connection connection = dataSource.getConnection()) {
            makeDaysAhead(connection, today);
            List<LocalDate> days = new ArrayList<>();
            long eventsDropped = 0;
            try (PreparedStatement drop = connection.prepareStatement("select dropped_day, dropped_events from event_retention_drop(?)")) {
                drop.setObject(1, policy.firstEventDayKept(today));
                try (ResultSet rs = drop.executeQuery()) {
                    while (rs.next()) {
                        days.add(rs.getObject(1, LocalDate.class));
                        eventsDropped += rs.getLong(2);
                        LOG.info("Retention: the events of {} dropped ({} events, recorded in event_retention)", days.get(days.size() - 1),
                                rs.getLong(2));
                    }
                }
            }
            if (!days.isEmpty()) {
                events.daysDropped();
            }
            LeadsDropped leads = dropLeads(connection, policy.firstEventDayKept(today));
            long rollups = single(connection, "select analytics_retention(?)", policy.firstRollupDayKept(today));
            if (leads.leads() + leads.deadLetters() + rollups > 0) {
                LOG.info("Retention: {} leads, {} dead letters and {} analytics rollup rows dropped", leads.leads(), leads.deadLetters(), rollups);
            }
            return new Round(List.copyOf(days), eventsDropped, leads.leads(), leads.deadLetters(), rollups);
        }
    }

    private void makeDaysAhead(Connection connection, LocalDate today) throws SQLException {
        try (PreparedStatement make = connection.prepareStatement("select recipient_events_partition(?)")) {
            for (int ahead = 0; ahead <= policy.daysAhead(); ahead++) {
                make.setObject(1, today.plusDays(ahead));
                make.execute();
            }
        }
    }

    private record LeadsDropped(long leads, long deadLetters) {
    }

    private static LeadsDropped dropLeads(Connection connection, LocalDate firstDayKept) throws SQLException {
        try (PreparedStatement drop = connection.prepareStatement("select dead_letters_dropped, leads_dropped from lead_retention(?)")) {
            drop.setTimestamp(1, startOf(firstDayKept));
            try (ResultSet rs = drop.executeQuery()) {
                rs.next();
                return new LeadsDropped(rs.getLong(2), rs.getLong(1));
            }
        }
    }

    private static long single(Connection connection, String sql, LocalDate day) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setTimestamp(1, startOf(day));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Timestamp startOf(LocalDate day) {
        return Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
