package io.leadrouter.events;

import io.leadrouter.support.BatchingQueue;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.support.DatabaseOutage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes recipient events in batches: whatever events are waiting when a writer comes round go
 * to the table in one transaction (group commit). A caller's future completes when its event is
 * committed, so the events of one lead (each written after the previous one completed) keep their
 * order. The database notes each event in the firehose outbox in the same transaction; the
 * {@link FirehoseRelay} is woken to publish it.
 */
public final class EventWriter {

    private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);
    /** The thread pool profile of the writer threads. */
    static final String THREADS = "event-writer";

    private record Pending(ObjectNode event, ObjectNode request, CompletableFuture<Void> written) {
    }

    private final EventStore store;
    private final FirehoseRelay relay;
    private final BatchingQueue<Pending> queue;

    /**
     * Adds its queue to the context. Batches are committed by as many threads at a time as the
     * thread pool profile {@value #THREADS} says (each lead's own events are still written one after another).
     */
    public EventWriter(CamelContext context, EventStore store, FirehoseRelay relay, int maxBatch, int capacity) {
        this.store = store;
        this.relay = relay;
        // a lead's events all go through one writer thread, so they commit (and enter the outbox) in seq order:
        // simpler than a relay that must hold back rows whose lower neighbours are not committed yet
        this.queue = BatchingQueue.addedTo(context, THREADS, maxBatch, capacity,
                pending -> pending.event().path("lead_id").asText(), this::write);
    }

    /**
     * Queues an event, with the request its attempt sent (or null); the future completes once it is
     * in the table (or fails with the reason it is not).
     */
    public CompletableFuture<Void> append(ObjectNode event, ObjectNode request) {
        Pending pending = new Pending(event, request, new CompletableFuture<>());
        if (!queue.isRunAllowed()) {
            // nobody would write it: fail now rather than leave the delivery waiting for ever
            pending.written().completeExceptionally(new IllegalStateException("the event writer is stopped"));
            return pending.written();
        }
        try {
            queue.put(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.written().completeExceptionally(e);
        }
        return pending.written();
    }

    private void write(List<Pending> batch) {
        writeIsolating(batch.stream().map(EventWriter::storable).toList());
        relay.wakeUp();
    }

    /** The pending event, or the same with its unstorable parts replaced (see {@link EventSanitizer}). */
    private static Pending storable(Pending pending) {
        ObjectNode event = EventSanitizer.storable(pending.event());
        ObjectNode request = pending.request() == null ? null : EventSanitizer.storableText(pending.request());
        if (event == pending.event() && request == pending.request()) {
            return pending;
        }
        if (event != pending.event()) {
            LOG.warn("Lead {}: {} {} stored with {} replaced (metadata.sanitized)", event.path("lead_id").asText(),
                    event.path("event_type").asText(), event.path("event_id").asText(), EventSanitizer.sanitizedFields(event));
        }
        return new Pending(event, request, pending.written());
    }

    /**
     * Writes the events in one transaction; when the database refuses it for what is in it (not
     * for being away), halves it until the event at fault is alone, so one event the sanitizer did
     * not foresee never fails its neighbours. Halves are written in order, so a lead's events too.
     */
    private void writeIsolating(List<Pending> events) {
        try {
            // while the database is away the batch waits, and so do the deliveries that emitted it
            DatabaseOutage.waitOut(events.size() + " recipient event(s)", queue::isRunAllowed, () -> {
                store.appendAll(events.stream().map(Pending::event).toList(), events.stream().map(Pending::request).toList());
                return null;
            });
        } catch (Exception e) {
            if (events.size() > 1 && !DatabaseOutage.isOutage(e)) {
                int half = events.size() / 2;
                writeIsolating(events.subList(0, half));
                writeIsolating(events.subList(half, events.size()));
                return;
            }
            // the caller's delivery fails as a Router Error dead letter, logged there once with the lead id
            LOG.debug("{} recipient event(s) not written: {}", events.size(), e.getMessage());
            events.forEach(p -> p.written().completeExceptionally(e));
            return;
        }
        events.forEach(p -> p.written().complete(null));
    }
}
