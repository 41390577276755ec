package io.leadrouter.retention;

import java.time.LocalDate;

/**
 * How long things are kept, in whole UTC days counted back from today: events (and the leads and dead
 * letters that go with them) {@code leadrouter.retention.days}, the analytics rollups
 * {@code leadrouter.retention.rollup-days}. Today counts as the first day kept.
 *
 * @param daysAhead days after today whose event partitions are made in advance
 */
public record RetentionPolicy(int eventDays, int rollupDays, int daysAhead) {

    public RetentionPolicy {
        if (eventDays < 1) {
            throw new IllegalArgumentException("leadrouter.retention.days: must be at least 1, got " + eventDays);
        }
        if (rollupDays < eventDays) {
            throw new IllegalArgumentException("leadrouter.retention.rollup-days: must be at least leadrouter.retention.days ("
                    + eventDays + "), got " + rollupDays);
        }
        if (daysAhead < 1) {
            throw new IllegalArgumentException("leadrouter.retention.days-ahead: must be at least 1, got " + daysAhead);
        }
    }

    /** The oldest day whose events are kept: with 30 days, today and the 29 before it. */
    public LocalDate firstEventDayKept(LocalDate today) {
        return today.minusDays(eventDays - 1L);
    }

    public LocalDate firstRollupDayKept(LocalDate today) {
        return today.minusDays(rollupDays - 1L);
    }
}
