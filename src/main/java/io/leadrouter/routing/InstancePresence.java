package io.leadrouter.routing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This router instance's presence, as PostgreSQL sees it: a session-level advisory lock on the
 * instance's id, held on a connection of its own for as long as the instance runs. PostgreSQL
 * releases it by itself when that session ends, whether the instance stopped, crashed or lost the
 * network, which is how other instances learn that its unfinished leads need a new owner
 * ({@link OrphanedLeads}). Each start is a new instance, with a new id.
 */
public final class InstancePresence extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(InstancePresence.class);
    /** The advisory lock key of an instance id (computed by PostgreSQL, so every instance agrees). */
    static final String LOCK_KEY = "hashtextextended('lead-router-instance:' || ?, 0)";

    private final DataSource dataSource;
    private final String instanceId = "router-" + UUID.randomUUID();
    private Connection session;

    public InstancePresence(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public String instanceId() {
        return instanceId;
    }

    @Override
    protected void doStart() throws SQLException {
        session = dataSource.getConnection();
        try (PreparedStatement lock = session.prepareStatement("select pg_advisory_lock(" + LOCK_KEY + ")")) {
            lock.setString(1, instanceId);
            lock.execute();
        }
        LOG.info("Router instance {} present", instanceId);
    }

    /**
     * Takes the lock again on a fresh session if the database dropped this one (it restarted):
     * until then other instances may take this instance for gone, but they only claim its leads
     * once it has looked gone for two of their sweeps in a row.
     */
    public synchronized void renew() {
        try (PreparedStatement check = session.prepareStatement("select 1")) {
            check.execute();
            return;
        } catch (SQLException e) {
            LOG.warn("Lost the database session that marks instance {} present; taking it again", instanceId);
        }
        try {
            session.close();
        } catch (SQLException e) {
            // broken already
        }
        try {
            doStart();
        } catch (SQLException e) {
            LOG.warn("Instance {} could not mark itself present yet: {}", instanceId, e.getMessage());
        }
    }

    /** Whether the instance with this id is gone: nobody holds its lock (checked on the given connection). */
    public static boolean isGone(Connection connection, String otherInstance) throws SQLException {
        try (PreparedStatement tryLock = connection.prepareStatement("select pg_try_advisory_lock(" + LOCK_KEY + ")")) {
            tryLock.setString(1, otherInstance);
            try (ResultSet rs = tryLock.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return false;
                }
            }
        }
        try (PreparedStatement unlock = connection.prepareStatement("select pg_advisory_unlock(" + LOCK_KEY + ")")) {
            unlock.setString(1, otherInstance);
            unlock.execute();
        }
        return true;
    }

    /** Gives the lock back last of all (this service stops after the routes and writers): the leads left go to others. */
    @Override
    protected void doStop() throws SQLException {
        if (session != null) {
            session.close();
            session = null;
            LOG.info("Router instance {} gone; its unfinished leads go to the other instances", instanceId);
        }
    }
}
