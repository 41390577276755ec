package io.leadrouter.support;

import io.leadrouter.support.Causes;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
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
    /** What HikariCP throws, without an SQLSTATE, from a connection it already evicted as broken. */
    private static final String POOL_CLOSED_CONNECTION = "Connection is closed";

    /** A piece of database work. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    private DatabaseOutage() {
    }

    /**
     * Whether the failure means the database cannot be reached: no connection to be had (the pool
     * timed out), the connection broke or was closed under the work (SQLSTATE class 08, or the
     * pool's own "Connection is closed"), or the server ended the session (57P01, e.g.
     * {@code pg_terminate_backend}) or is shutting down or starting (57P02, 57P03).
     *
     * <p>Looks through causes, suppressed exceptions and JDBC's next-exception chain: the outage
     * is often behind another failure, as when {@code rollback()} in a catch block throws on the
     * broken connection and hides the original, or a batch reports it as its next exception.
     */
    public static boolean isOutage(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> toLook = new ArrayDeque<>();
        if (failure != null) {
            toLook.add(failure);
        }
        while (!toLook.isEmpty()) {
            for (Throwable e : Causes.chain(toLook.poll())) {
                if (!seen.add(e)) {
                    continue;
                }
                if (isOutageItself(e)) {
                    return true;
                }
                toLook.addAll(List.of(e.getSuppressed()));
                if (e instanceof SQLException sql && sql.getNextException() != null) {
                    toLook.add(sql.getNextException());
                }
            }
        }
        return false;
    }

    private static boolean isOutageItself(Throwable e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException) {
            return true;
        }
        if (!(e instanceof SQLException sql)) {
            return false;
        }
        String state = sql.getSQLState();
        if (state == null) {
            return POOL_CLOSED_CONNECTION.equals(sql.getMessage());
        }
        return state.startsWith("08") || state.matches("57P0[123]");
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
