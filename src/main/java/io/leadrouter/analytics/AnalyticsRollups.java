package io.leadrouter.analytics;

import io.leadrouter.support.DatabaseOutage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the queued events to the rollups (analytics_drain in V9__analytics.sql), called every moment by
 * the route {@code analytics-rollup}. The events' own writes only queue them, so no delivery waits on the
 * rollups; one instance drains at a time.
 */
public final class AnalyticsRollups {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsRollups.class);

    private final DataSource dataSource;
    private final int batch;

    /** @param batch the most events one transaction adds (leadrouter.analytics.rollup-batch) */
    public AnalyticsRollups(DataSource dataSource, int batch) {
        this.dataSource = dataSource;
        this.batch = batch;
    }

    /** Drains the queue until it is empty (or another instance is draining); answers how many events it added. */
    public long drain() {
        long added = 0;
        try {
            int taken;
            do {
                taken = drainOnce();
                added += taken;
            } while (taken == batch);
        } catch (SQLException e) {
            // the next round tries again: nothing was taken off the queue
            if (DatabaseOutage.isOutage(e)) {
                LOG.debug("Analytics rollups wait for the database: {}", e.getMessage());
            } else {
                LOG.warn("Analytics rollups could not take queued events: {}", e.getMessage());
            }
        }
        return added;
    }

    private int drainOnce() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement drain = connection.prepareStatement("select analytics_drain(?)")) {
            drain.setInt(1, batch);
            try (ResultSet rs = drain.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
