package io.leadrouter.intake;

import io.leadrouter.events.BatchingQueue;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Stores new leads with group commit: the leads of concurrent intake requests that arrive while a
 * commit is under way go to the table together, in one statement and one transaction, so that a
 * burst of leads costs a few commits (each an fsync) instead of one each. A caller still returns
 * only once its own lead is committed.
 */
public final class LeadInserts extends ServiceSupport {

    private record Pending(LeadStore.NewLead lead, CompletableFuture<Boolean> stored) {
    }

    private final LeadStore store;
    private final BatchingQueue<Pending> queue;

    public LeadInserts(LeadStore store, int writers, int maxBatch) {
        this.store = store;
        this.queue = new BatchingQueue<>("lead-inserts", writers, maxBatch, 10_000, this::write);
    }

    /**
     * Stores a new lead and waits for the commit.
     *
     * @return false when a lead with this id was already stored (a client's retry)
     * @throws SQLException when the lead could not be stored
     */
    public boolean insert(Lead lead, String source) throws SQLException {
        Pending pending = new Pending(new LeadStore.NewLead(lead, source), new CompletableFuture<>());
        try {
            queue.put(pending);
            return pending.stored().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while storing lead " + lead.leadId(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    protected void doStart() {
        queue.start();
    }

    @Override
    protected void doStop() {
        queue.stop();
    }

    private void write(List<Pending> batch) {
        Set<String> inserted;
        try {
            inserted = store.insertAll(batch.stream().map(Pending::lead).toList());
        } catch (SQLException | RuntimeException e) {
            batch.forEach(p -> p.stored().completeExceptionally(e));
            return;
        }
        // the same id twice in one batch: the first one is the new lead
        batch.forEach(p -> p.stored().complete(inserted.remove(p.lead().lead().leadId())));
    }
}
