package io.leadrouter.intake;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks leads complete in batches, off the delivery path. Losing a mark is harmless: a lead left
 * unmarked is resumed at the next start, and its finished buyers are skipped (their outcomes are
 * in the event table), so nothing is delivered twice.
 */
public final class LeadCompletions extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(LeadCompletions.class);

    private final DataSource dataSource;
    private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
    private Thread writer;
    private volatile boolean running;

    public LeadCompletions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void markComplete(String leadId) {
        queue.add(leadId);
    }

    @Override
    protected void doStart() {
        running = true;
        writer = new Thread(this::writeLoop, "lead-completions");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        writer.join(TimeUnit.SECONDS.toMillis(10));
    }

    private void writeLoop() {
        List<String> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                String first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 999);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<String> leadIds) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update leads set completed_at = now() where lead_id = any(?) and completed_at is null")) {
            update.setArray(1, connection.createArrayOf("text", leadIds.toArray()));
            update.executeUpdate();
        } catch (Exception e) {
            LOG.warn("{} lead(s) not marked complete (they will be resumed at the next start): {}", leadIds.size(), e.getMessage());
        }
    }
}
