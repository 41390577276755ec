package io.leadrouter.monitoring;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The firehose outbox as an operator sees it: events waiting for Kafka, and how long the oldest has waited. */
final class OutboxBacklog {

    record Backlog(long rows, long oldestAgeSeconds) {
    }

    private final DataSource dataSource;

    OutboxBacklog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Backlog now() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        select count(*), coalesce(extract(epoch from now() - min(e.recorded_at)), 0)
                        from firehose_outbox o join recipient_events e on e.seq = o.event_seq""")) {
            rs.next();
            return new Backlog(rs.getLong(1), Math.round(rs.getDouble(2)));
        }
    }
}
