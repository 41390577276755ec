package io.leadrouter.storage;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Riding out a database that went away: work that must not be lost (events, dead letters,
 * completion marks) waits for the database and goes on by itself when it is back, no operator
 * needed. Only unreachability is waited out; any other failure (a bad statement) is thrown at once.
 */
public final class DatabaseOutage {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutage.class);
    private static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    /** A piece of database work. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private DatabaseOutage() {
    }

    /**
     * Whether the failure means the database cannot be reached: no connection to be had (the pool
     * timed out), the connection broke (SQLSTATE class 08), or the server is shutting down or
     * starting (57P01 to 57P03).
     */
    public static boolean isOutage(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof SQLTransientConnectionException) {
                return true;
            }
            if (e instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().matches("57P0[123]"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs the work, and while the database is unreachable runs it again every second, for as long
     * as {@code keepTrying} says so.
     *
     * @param what what the work is, for the log
     */
    public static <T> T waitOut(String what, BooleanSupplier keepTrying, Work<T> work) throws SQLException {
        boolean waiting = false;
        while (true) {
            try {
                T result = work.run();
                if (waiting) {
                    LOG.info("Database back: {} done", what);
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                if (!isOutage(e) || !keepTrying.getAsBoolean()) {
                    throw e;
                }
                if (!waiting) {
                    LOG.warn("Database unreachable, {} waits for it: {}", what, e.getMessage());
                    waiting = true;
                }
                try {
                    Thread.sleep(RETRY_EVERY.toMillis()); // a back-off between attempts, not a wait for a result
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
