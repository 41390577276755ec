package io.leadrouter.intake;

import io.leadrouter.model.Lead;
import io.leadrouter.support.BatchingQueue;
import io.leadrouter.support.DatabaseOutage;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores new leads with group commit: the leads of concurrent intake requests that arrive while a
 * commit is under way go to the table together, in one statement and one transaction, so that a
 * burst of leads costs a few commits (each an fsync) instead of one each. A caller still returns
 * only once its own lead is committed.
 *
 * <p>One lead never fails its neighbours: a batch the database refuses for a reason other than an
 * outage is written again lead by lead, and only the lead refused on its own is refused. While the
 * database is unreachable (the pool has no connection to give), leads are refused at once (503)
 * rather than each waiting out the pool's connection timeout; one batch a second probes whether it
 * is back. A connection cut under a batch fails that batch alone.
 */
public final class LeadInserts {

    private static final Logger LOG = LoggerFactory.getLogger(LeadInserts.class);
    /** The thread pool profile of the insert threads. */
    static final String THREADS = "lead-inserts";
    private static final long PROBE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long NO_OUTAGE = Long.MIN_VALUE;

    private record Pending(LeadStore.NewLead lead, CompletableFuture<LeadStore.Stored> stored) {
    }

    private final LeadStore store;
    private final BatchingQueue<Pending> queue;
    /** While the database is unreachable: when the next batch may try it again. */
    private final AtomicLong nextProbe = new AtomicLong(NO_OUTAGE);

    /** Adds its queue to the context; the thread pool profile {@value #THREADS} says how many batches may be committed at once. */
    public LeadInserts(CamelContext context, LeadStore store, int maxBatch) {
        this.store = store;
        this.queue = BatchingQueue.addedTo(context, THREADS, maxBatch, 10_000, this::write);
    }

    /**
     * Stores a new lead and waits for the commit.
     *
     * @return NEW, or REPEAT / CONFLICT when a lead with this id was stored before
     * @throws InvalidLeadException when the database refuses this lead's content (400)
     * @throws SQLException when the lead could not be stored now (503)
     */
    public LeadStore.Stored insert(Lead lead, String source) throws SQLException, InvalidLeadException {
        Pending pending = new Pending(new LeadStore.NewLead(lead, source), new CompletableFuture<>());
        try {
            queue.put(pending);
            return pending.stored().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while storing lead " + lead.leadId(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidLeadException invalid) {
                throw invalid;
            }
            throw cause instanceof SQLException sql ? sql : new SQLException(cause.getMessage(), cause);
        }
    }

    private void write(List<Pending> batch) {
        if (!mayTryDatabase()) {
            SQLException unavailable = new SQLTransientConnectionException("the database is unreachable");
            batch.forEach(p -> p.stored().completeExceptionally(unavailable));
            return;
        }
        List<LeadStore.Stored> outcomes;
        try {
            outcomes = store.insertAll(batch.stream().map(Pending::lead).toList());
        } catch (SQLException | RuntimeException e) {
            if (DatabaseOutage.isOutage(e)) {
                if (e instanceof SQLTransientConnectionException) {
                    markOutage(e); // the pool had no connection to give: the database is away, not one connection cut
                }
                batch.forEach(p -> p.stored().completeExceptionally(e));
            } else if (batch.size() > 1) {
                batch.forEach(p -> write(List.of(p))); // find the lead the database refuses; store the others
            } else {
                LOG.warn("Lead {} refused by the database: {}", batch.get(0).lead().lead().leadId(), e.getMessage());
                batch.get(0).stored().completeExceptionally(
                        new InvalidLeadException(400, "the lead could not be stored: " + e.getMessage()));
            }
            return;
        }
        if (nextProbe.getAndSet(NO_OUTAGE) != NO_OUTAGE) {
            LOG.info("Lead store reachable again: leads are accepted");
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).stored().complete(outcomes.get(i));
        }
    }

    /** Outside an outage always; during one, only the batch whose turn it is to probe. */
    private boolean mayTryDatabase() {
        long probeAt = nextProbe.get();
        return probeAt == NO_OUTAGE
                || (System.nanoTime() - probeAt >= 0 && nextProbe.compareAndSet(probeAt, System.nanoTime() + PROBE_EVERY_NANOS));
    }

    private void markOutage(Exception e) {
        if (nextProbe.getAndSet(System.nanoTime() + PROBE_EVERY_NANOS) == NO_OUTAGE) {
            LOG.error("Lead store unreachable, leads are answered 503 until it is back: {}", e.getMessage());
        }
    }
}
