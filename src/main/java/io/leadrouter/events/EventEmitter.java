package io.leadrouter.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records an event before the delivery goes on: when {@link #emit} returns, the event is in the
 * table (written by the {@link EventWriter} together with whatever other events were waiting);
 * the firehose follows asynchronously, in order.
 */
public final class EventEmitter {

    private static final Logger LOG = LoggerFactory.getLogger(EventEmitter.class);

    /** Told of each event once it is stored (the delivery metrics). */
    @FunctionalInterface
    public interface Listener {
        void recorded(ObjectNode event);
    }

    private final EventWriter writer;
    private final List<Listener> listeners;

    public EventEmitter(EventWriter writer, List<Listener> listeners) {
        this.writer = writer;
        this.listeners = List.copyOf(listeners);
    }

    public void emit(ObjectNode event) {
        emit(event, null);
    }

    /** @param request what the attempt sent the buyer, stored beside the event (null: none) */
    public void emit(ObjectNode event, ObjectNode request) {
        try {
            writer.append(event, request).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("recipient event not written: " + e.getCause().getMessage(), e.getCause());
        }
        for (Listener listener : listeners) {
            try {
                listener.recorded(event);
            } catch (RuntimeException e) {
                // the event is stored: a listener's failure (a metric) must not fail the delivery
                LOG.warn("Listener {} failed on event {}: {}", listener.getClass().getSimpleName(), event.path("event_id").asText(), e.toString());
            }
        }
    }
}
