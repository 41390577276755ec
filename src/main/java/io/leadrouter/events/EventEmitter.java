package io.leadrouter.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Records an event before the delivery goes on: when {@link #emit} returns, the event is in the
 * table (written by the {@link EventWriter} together with whatever other events were waiting);
 * the firehose follows asynchronously, in order.
 */
public final class EventEmitter {

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
        try {
            writer.append(event).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("recipient event not written: " + e.getCause().getMessage(), e.getCause());
        }
        listeners.forEach(listener -> listener.recorded(event));
    }
}
