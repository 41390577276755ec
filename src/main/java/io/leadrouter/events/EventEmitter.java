package io.leadrouter.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.ProducerTemplate;

/**
 * Hands an event to the event tap route ({@code routes/event-tap.camel.yaml}), synchronously:
 * when this returns, the event is in the table; the firehose follows asynchronously, in order.
 */
public final class EventEmitter {

    public static final String ENDPOINT = "direct:recipient-event";

    private final ProducerTemplate producer;

    public EventEmitter(ProducerTemplate producer) {
        this.producer = producer;
    }

    public void emit(ObjectNode event) {
        producer.sendBodyAndHeader(ENDPOINT, event, "leadId", event.path("lead_id").asText());
    }
}
