package io.leadrouter.intake;

import io.leadrouter.model.Lead;
import java.util.function.Consumer;
import org.apache.camel.ProducerTemplate;

/** Hands a stored lead to the routing route, without waiting for its deliveries. */
public final class LeadDispatcher {

    public static final String ENDPOINT = "seda:route-lead";

    private final ProducerTemplate producer;
    private final Consumer<String> accepted;

    /** @param accepted told the source (http, kafka) of each new lead handed on (the leads-received metric) */
    public LeadDispatcher(ProducerTemplate producer, Consumer<String> accepted) {
        this.producer = producer;
        this.accepted = accepted;
    }

    public void dispatch(Lead lead, String source) {
        accepted.accept(source);
        producer.sendBody(ENDPOINT, lead);
    }
}
