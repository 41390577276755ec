package io.leadrouter.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes recipient events in batches: whatever events are waiting when a writer comes round go
 * to the table in one transaction (group commit), and then to the firehose as one batch. A
 * caller's future completes when its event is committed and queued for the firehose, so the
 * events of one lead (each written after the previous one completed) keep their order.
 */
public final class EventWriter extends ServiceSupport {

    public static final String FIREHOSE = "seda:firehose";
    private static final Logger LOG = LoggerFactory.getLogger(EventWriter.class);

    private record Pending(ObjectNode event, CompletableFuture<Void> written) {
    }

    private final EventStore store;
    private final CamelContext context;
    private final BatchingQueue<Pending> queue;
    private ProducerTemplate firehose;

    /** @param writerThreads batches committed at the same time (each lead's own events are still written one after another) */
    public EventWriter(EventStore store, CamelContext context, int maxBatch, int capacity, int writerThreads) {
        this.store = store;
        this.context = context;
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
        firehose = context.createProducerTemplate();
        queue.start();
    }

    @Override
    protected void doStop() throws Exception {
        queue.stop();
        firehose.stop();
    }

    private void write(List<Pending> batch) {
        try {
            store.appendAll(batch.stream().map(Pending::event).toList());
        } catch (Exception e) {
            LOG.error("{} recipient event(s) could not be written: {}", batch.size(), e.getMessage());
            batch.forEach(p -> p.written().completeExceptionally(e));
            return;
        }
        try {
            // queued for the firehose before the callers go on: a lead's next event (which waits for
            // this one) is therefore always queued after it, whichever writer commits it
            firehose.sendBody(FIREHOSE, toRecords(batch));
        } catch (RuntimeException e) {
            // the events are safe in the table; the writer must live on for the next batch
            LOG.error("{} recipient event(s) written but not handed to the firehose: {}", batch.size(), e.getMessage());
        }
        batch.forEach(p -> p.written().complete(null));
    }

    /** One Kafka record per event: value the event JSON, key its lead_id (so a lead's events keep their order). */
    private List<Message> toRecords(List<Pending> batch) {
        List<Message> records = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            Message record = new DefaultMessage(context);
            record.setHeader("kafka.KEY", pending.event().path("lead_id").asText());
            record.setBody(pending.event().toString());
            records.add(record);
        }
        return records;
    }
}
