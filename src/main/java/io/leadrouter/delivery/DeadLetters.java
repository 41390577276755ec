package io.leadrouter.delivery;

import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.model.FailureReason;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.events.RecipientEvents;
import io.leadrouter.model.Lead;
import java.io.IOException;
import java.io.UncheckedIOException;
import io.leadrouter.support.DatabaseOutage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The dead-letter destination: leads whose delivery to one buyer used up its attempts. */
public final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    /** A dead letter to replay: the lead and the buyer it did not reach. */
    public record Pending(long id, String leadId, String recipientId) {
    }

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final AtomicLong routerErrors = new AtomicLong();

    public DeadLetters(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Called by the dead-letter channel of a buyer route, with the exchange of the last attempt. */
    public void store(Exchange exchange) throws SQLException {
        Lead lead = exchange.getProperty(ExchangeKeys.LEAD, Lead.class);
        String buyerId = exchange.getProperty(ExchangeKeys.BUYER_ID, String.class);
        DeliveryAttempt attempt = exchange.getProperty(ExchangeKeys.ATTEMPT, DeliveryAttempt.class);
        DeliveryOutcome outcome = exchange.getProperty(ExchangeKeys.OUTCOME, DeliveryOutcome.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);

        DeliveryOutcome failed = OutcomeClassifier.deadLetterFailure(outcome, cause);
        boolean routerError = failed.failureReason() == FailureReason.ROUTER_ERROR;
        ObjectNode failure = json.createObjectNode();
        failure.put("reason", failed.failureReason().label());
        failure.put("category", failed.failureReason().category().label());
        failure.put("details", failed.details());
        if (!routerError) {
            failure.put("status_code", failed.statusCode());
        }
        if (attempt != null) {
            failure.put("first_attempt", RecipientEvents.timestamp(attempt.firstAttemptAt()));
            failure.put("last_attempt", RecipientEvents.timestamp(attempt.startedAt()));
        }
        int attempts = attempt == null ? 0 : attempt.attemptNumber();
        // the lead's walk waits for the database rather than go on without a trace of this buyer; a router
        // that stops meanwhile leaves the lead unfinished, and the next start walks it again
        DatabaseOutage.waitOut("dead letter of lead " + lead.leadId(), () -> exchange.getContext().getStatus().isStarted(), () -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement(
                            "insert into dead_letters (lead_id, recipient_id, failure, attempts) values (?, ?, cast(? as jsonb), ?)")) {
                insert.setString(1, lead.leadId());
                insert.setString(2, buyerId);
                insert.setString(3, failure.toString());
                insert.setInt(4, attempts);
                return insert.executeUpdate();
            }
        });
        if (routerError) {
            LOG.error("Router Error #{}: lead {} dead-lettered for buyer {} after {} attempt(s): {}", routerErrors.incrementAndGet(),
                    lead.leadId(), buyerId, attempts, failure.path("details").asText(), cause);
        } else {
            LOG.warn("Lead {} dead-lettered for buyer {} after {} attempt(s): {}", lead.leadId(), buyerId, attempts,
                    failure.path("details").asText());
        }
    }

    /** Router Errors dead-lettered since this router started (each also logged once, with its lead id). */
    public long routerErrors() {
        return routerErrors.get();
    }

    /** Dead letters not yet replayed, oldest first. */
    public ArrayNode listPending() throws SQLException {
        ArrayNode list = json.createArrayNode();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        select id, lead_id, recipient_id, failure, attempts, created_at
                        from dead_letters where replayed_at is null order by id""");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                ObjectNode item = list.addObject();
                item.put("id", rs.getLong("id"));
                item.put("lead_id", rs.getString("lead_id"));
                item.put("recipient_id", rs.getString("recipient_id"));
                item.put("attempts", rs.getInt("attempts"));
                item.set("failure", parse(rs.getString("failure")));
                item.put("created_at", RecipientEvents.timestamp(rs.getTimestamp("created_at").toInstant()));
            }
        }
        return list;
    }

    /**
     * Marks a dead letter replayed, atomically, so that two replays of the same one cannot both
     * happen; empty when there is no such pending dead letter.
     */
    public Optional<Pending> claimForReplay(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        update dead_letters set replayed_at = now()
                        where id = ? and replayed_at is null returning lead_id, recipient_id""")) {
            update.setLong(1, id);
            try (ResultSet rs = update.executeQuery()) {
                return rs.next() ? Optional.of(new Pending(id, rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /** Gives a claimed dead letter back, when its replay could not be started. */
    public void release(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("update dead_letters set replayed_at = null where id = ?")) {
            update.setLong(1, id);
            update.executeUpdate();
        }
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
