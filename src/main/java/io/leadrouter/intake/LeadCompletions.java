package io.leadrouter.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import io.leadrouter.support.BatchingQueue;
import io.leadrouter.support.DatabaseOutage;
import java.util.List;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks leads complete in batches, off the delivery path. Losing a mark is harmless: a lead left
 * unmarked is resumed at the next start, and its finished buyers are skipped (their outcomes are
 * in the event table), so nothing is delivered twice.
 */
public final class LeadCompletions {

    private static final Logger LOG = LoggerFactory.getLogger(LeadCompletions.class);
    /** The thread pool profile of the completion writer. */
    static final String THREADS = "lead-completions";

    private final DataSource dataSource;
    private final BatchingQueue<String> queue;

    /** Adds its queue to the context, written by the threads of the thread pool profile {@value #THREADS}. */
    public LeadCompletions(CamelContext context, DataSource dataSource) {
        this.dataSource = dataSource;
        this.queue = BatchingQueue.addedTo(context, THREADS, 1000, Integer.MAX_VALUE, this::write);
    }

    public void markComplete(String leadId) {
        try {
            queue.put(leadId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the lead is resumed at the next start instead
        }
    }

    private void write(List<String> leadIds) {
        try {
            DatabaseOutage.waitOut(leadIds.size() + " completion mark(s)", queue::isRunAllowed, () -> {
                try (Connection connection = dataSource.getConnection();
                        PreparedStatement update = connection.prepareStatement(
                                "update leads set completed_at = now() where lead_id = any(?) and completed_at is null")) {
                    update.setArray(1, connection.createArrayOf("text", leadIds.toArray()));
                    return update.executeUpdate();
                }
            });
        } catch (Exception e) {
            LOG.warn("{} lead(s) not marked complete (they will be resumed at the next start): {}", leadIds.size(), e.getMessage());
        }
    }
}
