package io.leadrouter.intake;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lead from the Kafka {@code leads} topic: the same checks as {@code POST /leads}. A bad record
 * is set aside with its reason (property {@link #INVALID}) for the route to publish; a storage
 * failure is thrown, so the record is not committed and is read again.
 */
public final class KafkaLeadIntake implements Processor {

    public static final String INVALID = "leadRouterInvalidLead";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaLeadIntake.class);

    private final LeadParser parser;
    private final LeadInserts store;
    private final LeadDispatcher dispatcher;
    private final Clock clock;

    public KafkaLeadIntake(LeadParser parser, LeadInserts store, LeadDispatcher dispatcher, Clock clock) {
        this.parser = parser;
        this.store = store;
        this.dispatcher = dispatcher;
        this.clock = clock;
    }

    /** Where the record sits in Kafka: the same if the record is read again after a crash. */
    private static String recordCoordinates(Exchange exchange) {
        Message message = exchange.getMessage();
        return message.getHeader(KafkaConstants.TOPIC, String.class) + "/"
                + message.getHeader(KafkaConstants.PARTITION, String.class) + "/"
                + message.getHeader(KafkaConstants.OFFSET, String.class);
    }

    @Override
    public void process(Exchange exchange) throws SQLException {
        String record = exchange.getMessage().getBody(String.class);
        try {
            Lead lead = parser.parse(record == null ? null : record.getBytes(StandardCharsets.UTF_8), clock.instant(),
                    () -> LeadIds.derivedFrom(recordCoordinates(exchange)));
            if (store.insert(lead, "kafka")) {
                dispatcher.dispatch(lead);
            }
        } catch (InvalidLeadException e) {
            LOG.warn("Lead refused from the Kafka leads topic: {}", e.getMessage());
            exchange.setProperty(INVALID, e.getMessage());
        }
    }
}
