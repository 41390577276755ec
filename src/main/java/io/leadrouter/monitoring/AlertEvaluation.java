package io.leadrouter.monitoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.delivery.GoneBuyers;
import io.leadrouter.model.Buyer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of the alerts (route {@code evaluate-alerts}, every leadrouter.alerts.period-ms): each
 * configured buyer's recent outcomes against the thresholds ({@link AlertRules}); an alert newly
 * called for is raised, an open one no longer called for is resolved. One instance evaluates a
 * round (a transaction-scoped advisory lock), and the table allows one open alert of a kind per
 * buyer, so an alert is raised once whatever the instances and restarts. Each change is logged at
 * WARN and published on the alerts topic, keyed by recipient id, once the round is committed.
 */
public final class AlertEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluation.class);
    /** The advisory lock of the evaluating instance (an arbitrary constant of this router's). */
    private static final long LOCK = 0x4c52_414c_4552_5453L;

    private final DataSource dataSource;
    private final BuyerCatalog catalog;
    private final AlertThresholds thresholds;
    private final ProducerTemplate producer;
    private final String topicUri;
    private final ObjectMapper json;
    private final BooleanSupplier buyersLoaded;
    private final AlertNotifier notifier;
    private final GoneBuyers gone;

    /**
     * @param buyersLoaded whether the buyer files have been read since the start: until then the catalog
     *        is empty, and its buyers' open alerts would look over
     */
    public AlertEvaluation(DataSource dataSource, BuyerCatalog catalog, AlertThresholds thresholds, ProducerTemplate producer,
            String topicUri, ObjectMapper json, BooleanSupplier buyersLoaded, AlertNotifier notifier, GoneBuyers gone) {
        this.dataSource = dataSource;
        this.catalog = catalog;
        this.thresholds = thresholds;
        this.producer = producer;
        this.topicUri = topicUri;
        this.json = json;
        this.buyersLoaded = buyersLoaded;
        this.notifier = notifier;
        this.gone = gone;
    }

    /** A change of an alert: raised or resolved. */
    private record Change(String status, long id, String alert, String recipientId, String recipientName, double value, double threshold,
            String message, String raisedAt, String resolvedAt) {
    }

    public void round() throws SQLException {
        if (!buyersLoaded.getAsBoolean()) {
            return;
        }
        List<Change> changes = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (!leading(connection)) {
                    connection.rollback();
                    return;
                }
                Map<String, Buyer> buyers = new HashMap<>();
                catalog.all().forEach(buyer -> buyers.put(buyer.id(), buyer));
                Map<String, List<AlertRules.Firing>> firing = new HashMap<>();
                for (Buyer buyer : buyers.values()) {
                    // the buyer file's own thresholds, where it sets any
                    AlertThresholds own = thresholds.forBuyer(buyer.alerts());
                    List<AlertRules.Firing> called = new AlertRules(own).firing(buyer.name(), new BuyerObservations(own).of(connection, buyer.id()));
                    gone.gone(buyer.id()).ifPresent(g -> called.add(AlertRules.gone(buyer.name(), g, Instant.now())));
                    firing.put(buyer.id(), called);
                }
                resolveWhatIsOver(connection, firing, buyers, changes);
                raiseWhatIsNew(connection, firing, buyers, changes);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
        changes.forEach(this::announce);
    }

    private static boolean leading(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, LOCK);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void resolveWhatIsOver(Connection connection, Map<String, List<AlertRules.Firing>> firing, Map<String, Buyer> buyers,
            List<Change> changes) throws SQLException {
        List<long[]> over = new ArrayList<>();
        try (PreparedStatement open = connection.prepareStatement("select id, alert, recipient_id from alerts where resolved_at is null");
                ResultSet rs = open.executeQuery()) {
            while (rs.next()) {
                String alert = rs.getString(2);
                List<AlertRules.Firing> now = firing.get(rs.getString(3));
                // a buyer no longer configured has nothing to alert on
                if (now == null || now.stream().noneMatch(f -> f.alert().equals(alert))) {
                    over.add(new long[] {rs.getLong(1)});
                }
            }
        }
        for (long[] id : over) {
            try (PreparedStatement resolve = connection.prepareStatement("""
                    update alerts set resolved_at = now() where id = ? and resolved_at is null
                    returning alert, recipient_id, value, threshold, message, raised_at::text, resolved_at::text""")) {
                resolve.setLong(1, id[0]);
                try (ResultSet rs = resolve.executeQuery()) {
                    if (rs.next()) {
                        Buyer buyer = buyers.get(rs.getString(2));
                        changes.add(new Change("resolved", id[0], rs.getString(1), rs.getString(2), buyer == null ? null : buyer.name(),
                                rs.getDouble(3), rs.getDouble(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                    }
                }
            }
        }
    }

    private void raiseWhatIsNew(Connection connection, Map<String, List<AlertRules.Firing>> firing, Map<String, Buyer> buyers,
            List<Change> changes) throws SQLException {
        try (PreparedStatement raise = connection.prepareStatement("""
                insert into alerts (alert, recipient_id, value, threshold, message) values (?, ?, ?, ?, ?)
                on conflict (alert, recipient_id) where resolved_at is null do nothing
                returning id, raised_at::text""")) {
            for (Map.Entry<String, List<AlertRules.Firing>> buyer : firing.entrySet()) {
                for (AlertRules.Firing f : buyer.getValue()) {
                    raise.setString(1, f.alert());
                    raise.setString(2, buyer.getKey());
                    raise.setDouble(3, f.value());
                    raise.setDouble(4, f.threshold());
                    raise.setString(5, f.message());
                    try (ResultSet rs = raise.executeQuery()) {
                        if (rs.next()) {
                            changes.add(new Change("raised", rs.getLong(1), f.alert(), buyer.getKey(), buyers.get(buyer.getKey()).name(),
                                    f.value(), f.threshold(), f.message(), rs.getString(2), null));
                        }
                    }
                }
            }
        }
    }

    /** Logged, published on the alerts topic and notified; the table holds the alert whether or not Kafka or the notification take it. */
    private void announce(Change change) {
        LOG.warn("Alert {} {} for {}: {}", change.alert(), change.status(), change.recipientId(), change.message());
        ObjectNode message = json.createObjectNode();
        message.put("alert_id", change.id());
        message.put("alert", change.alert());
        message.put("status", change.status());
        message.putObject("recipient").put("id", change.recipientId()).put("name", change.recipientName());
        message.put("value", change.value());
        message.put("threshold", change.threshold());
        message.put("message", change.message());
        message.put("raised_at", change.raisedAt());
        message.put("resolved_at", change.resolvedAt());
        try {
            producer.sendBodyAndHeader(topicUri, message.toString(), KafkaConstants.KEY, change.recipientId());
        } catch (RuntimeException e) {
            LOG.error("Alert {} {} for {} not published on the alerts topic (it is in the alerts table): {}", change.alert(),
                    change.status(), change.recipientId(), e.getMessage());
        }
        notifier.notify(change.alert(), change.status(), change.recipientId(), change.message());
    }
}
