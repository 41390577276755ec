package io.leadrouter.intake;

import io.leadrouter.model.Lead;
import io.leadrouter.support.DatabaseOutage;
import java.sql.SQLException;
import java.time.Clock;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lead from the Kafka {@code leads} topic: the same checks as {@code POST /leads}. A record that
 * cannot be taken in for a reason that waiting will not cure (bad JSON, over a limit, refused by
 * the database, a lead_id already used for another lead, a fault of the router) is refused with
 * {@link RecordRefusedException}, which the route catches to park the record on {@code leads-invalid},
 * and the partition goes on. Only an unreachable database holds the partition: the record waits for it
 * and is stored when it is back (or read again after a stop).
 */
public final class KafkaLeadIntake implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaLeadIntake.class);

    private final LeadParser parser;
    private final LeadInserts store;
    private final LeadDispatcher dispatcher;
    private final Supplier<String> clusterId;
    private final Clock clock;

    public KafkaLeadIntake(LeadParser parser, LeadInserts store, LeadDispatcher dispatcher, Supplier<String> clusterId,
            Clock clock) {
        this.parser = parser;
        this.store = store;
        this.dispatcher = dispatcher;
        this.clusterId = clusterId;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws SQLException, RecordRefusedException {
        String seed = recordCoordinates(exchange); // before anything can be parked: a failure here is transient
        try {
            Lead lead = parser.parse(exchange.getMessage().getBody(byte[].class), clock.instant(), () -> LeadIds.derivedFrom(seed));
            LeadStore.Stored stored = DatabaseOutage.waitOut("lead from Kafka " + seed, () -> isRunning(exchange.getContext()),
                    () -> insert(lead));
            switch (stored) {
                case NEW -> dispatcher.dispatch(lead, "kafka");
                case REPEAT -> LOG.debug("Lead {} from Kafka {} was stored before", lead.leadId(), seed);
                case CONFLICT -> throw refuse(seed, LeadStore.conflict(lead.leadId()));
            }
        } catch (InvalidLeadException | RefusedByDatabase e) {
            throw refuse(seed, e.getMessage());
        } catch (SQLException e) {
            throw e; // the database is away and the router is stopping: the record is read again at the next start
        } catch (RuntimeException e) {
            LOG.error("Lead from Kafka {} could not be taken in because of a router fault; parked", seed, e);
            throw refuse(seed, "the router could not take this record in: " + e.getClass().getSimpleName());
        }
    }

    private LeadStore.Stored insert(Lead lead) throws SQLException {
        try {
            return store.insert(lead, "kafka");
        } catch (InvalidLeadException e) {
            throw new RefusedByDatabase(e);
        }
    }

    private static RecordRefusedException refuse(String seed, String problem) {
        LOG.warn("Lead refused from Kafka {}: {}", seed, problem);
        return new RecordRefusedException(problem);
    }

    /** Where the record sits in which Kafka cluster: the same if the record is read again after a crash. */
    private String recordCoordinates(Exchange exchange) {
        Message message = exchange.getMessage();
        return clusterId.get() + "/" + message.getHeader(KafkaConstants.TOPIC, String.class) + "/"
                + message.getHeader(KafkaConstants.PARTITION, String.class) + "/"
                + message.getHeader(KafkaConstants.OFFSET, String.class);
    }

    private static boolean isRunning(CamelContext context) {
        return context.getStatus().isStarted();
    }

    /** The database refused the lead itself: carried through the outage wait, which only waits out outages. */
    private static final class RefusedByDatabase extends RuntimeException {
        RefusedByDatabase(InvalidLeadException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }
}
