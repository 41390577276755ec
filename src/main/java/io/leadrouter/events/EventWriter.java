package io.leadrouter.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.storage.DatabaseOutage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes recipient events in batches: whatever events are waiting when a writer comes round go
 * to the table in one transaction (group commit). A caller's future completes when its event is
 * committed, so the events of one lead (each written after the previous one completed) keep their
 * order. The database notes each event in the firehose outbox in the same transaction; the
 * {@link FirehoseRelay} is woken to publish it.
 */
public final class EventWriter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);

    private record Pending(ObjectNode event, CompletableFuture<Void> written) {
    }

    private final EventStore store;
    private final FirehoseRelay relay;
    private final BatchingQueue<Pending> queue;

    /** @param writerThreads batches committed at the same time (each lead's own events are still written one after another) */
    public EventWriter(EventStore store, FirehoseRelay relay, int maxBatch, int capacity, int writerThreads) {
        this.store = store;
        this.relay = relay;
        this.queue = new BatchingQueue<>("event-writer", writerThreads, maxBatch, capacity, this::write);
    }

    /** Queues an event; the future completes once it is in the table (or fails with the reason it is not). */
    public CompletableFuture<Void> append(ObjectNode event) {
        Pending pending = new Pending(event, new CompletableFuture<>());
        try {
            queue.put(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.written().completeExceptionally(e);
        }
        return pending.written();
    }

    @Override
    protected void doStart() {
        queue.start();
    }

    @Override
    protected void doStop() throws Exception {
        queue.stop();
    }

    private void write(List<Pending> batch) {
        try {
            // while the database is away the batch waits, and so do the deliveries that emitted it
            DatabaseOutage.waitOut(batch.size() + " recipient event(s)", this::isRunAllowed, () -> {
                store.appendAll(batch.stream().map(Pending::event).toList());
                return null;
            });
        } catch (Exception e) {
            LOG.error("{} recipient event(s) could not be written: {}", batch.size(), e.getMessage());
            batch.forEach(p -> p.written().completeExceptionally(e));
            return;
        }
        relay.wakeUp();
        batch.forEach(p -> p.written().complete(null));
    }
}
