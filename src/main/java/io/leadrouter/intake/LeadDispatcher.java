package io.leadrouter.intake;

import io.leadrouter.model.Lead;
import org.apache.camel.ProducerTemplate;

/** Hands a stored lead to the routing route, without waiting for its deliveries. */
public final class LeadDispatcher {

    public static final String ENDPOINT = "seda:route-lead";

    private final ProducerTemplate producer;

    public LeadDispatcher(ProducerTemplate producer) {
        this.producer = producer;
    }

    public void dispatch(Lead lead) {
        producer.sendBody(ENDPOINT, lead);
    }
}
