package io.leadrouter.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until the expected number of terminal events is durably in the table AND on the
 * firehose, noting when each sink got there (to within one poll, 250 ms). Bounded twice: the whole wait, and the time without
 * any progress (a stalled router fails the scenario rather than hanging the benchmark).
 */
final class CompletionWatch {

    /** When each sink held every terminal event ({@link System#nanoTime()}). */
    record Done(long tableNanos, long topicNanos) {
        long lastNanos() {
            return Math.max(tableNanos, topicNanos);
        }
    }

    /** The router did not finish in time. */
    static final class NotFinished extends RuntimeException {
        NotFinished(String message) {
            super(message, null, false, false);
        }
    }

    private final EventTable table;
    private final FirehoseCounter firehose;
    private final long expected;
    private final Duration stall;
    private final BooleanSupplier routerAlive;
    private long tableDone = -1;
    private long topicDone = -1;
    private static final Duration TABLE_QUERY_INTERVAL = Duration.ofSeconds(5);

    private long tableCount;
    private long lastTableQuery = System.nanoTime();
    private long lastProgress = System.nanoTime();
    private long lastSeen = -1;

    CompletionWatch(EventTable table, FirehoseCounter firehose, long expected, Duration stall, BooleanSupplier routerAlive) {
        this.table = table;
        this.firehose = firehose;
        this.expected = expected;
        this.stall = stall;
        this.routerAlive = routerAlive;
    }

    Done await(Duration atMost) {
        try {
            Awaitility.await("terminal events in the table and on the firehose").atMost(atMost)
                    .pollInterval(Duration.ofMillis(250)).pollDelay(Duration.ZERO).until(this::finished);
        } catch (ConditionTimeoutException e) {
            throw new NotFinished("not finished within " + atMost.toMinutes() + " min: " + progress());
        }
        return new Done(tableDone, topicDone);
    }

    private boolean finished() throws Exception {
        long now = System.nanoTime();
        // a lead held by a buyer's open circuit has no terminal event for that buyer, in either sink: it counts as done there
        long held = table.heldLeads();
        long topicCount = firehose.terminalEvents() + held;
        if (topicDone < 0 && topicCount >= expected) {
            topicDone = now;
        }
        // Counting terminal events in the table is a scan over a growing table on the machine being
        // measured: it is asked every poll only once the firehose (counted in memory) has them all,
        // and every few seconds before that, for the progress check.
        if (tableDone < 0 && (topicCount >= expected || now - lastTableQuery > TABLE_QUERY_INTERVAL.toNanos())) {
            lastTableQuery = now;
            tableCount = table.terminalEvents() + held;
            if (tableCount >= expected) {
                tableDone = now;
            }
        }
        if (tableDone >= 0 && topicDone >= 0) {
            return true;
        }
        long seen = tableCount + topicCount;
        if (seen != lastSeen) {
            lastSeen = seen;
            lastProgress = now;
        } else if (now - lastProgress > stall.toNanos()) {
            throw new NotFinished("no progress for " + stall.toSeconds() + " s: " + progress());
        }
        if (!routerAlive.getAsBoolean()) {
            throw new NotFinished("the router process ended: " + progress());
        }
        return false;
    }

    private String progress() {
        return "terminal events expected " + expected + ", in the table " + tableCount + ", on the firehose "
                + firehose.terminalEvents();
    }
}
