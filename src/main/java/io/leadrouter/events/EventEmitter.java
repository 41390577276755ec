package io.leadrouter.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletionException;

/**
 * Records an event before the delivery goes on: when {@link #emit} returns, the event is in the
 * table (written by the {@link EventWriter} together with whatever other events were waiting);
 * the firehose follows asynchronously, in order.
 */
public final class EventEmitter {

    private final EventWriter writer;

    public EventEmitter(EventWriter writer) {
        this.writer = writer;
    }

    public void emit(ObjectNode event) {
        try {
            writer.append(event).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("recipient event not written: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
