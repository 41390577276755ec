package io.leadrouter.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.buyers.BuyerRouteInstaller;
import io.leadrouter.circuit.BuyerCircuits;
import io.leadrouter.circuit.CircuitState;
import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.events.EventEmitter;
import io.leadrouter.model.DeliveryAttempt;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.seda.SedaEndpoint;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's own Prometheus metrics, beside Camel's route metrics, in the registry that
 * {@code /observe/metrics} serves. Delivery figures come from the recipient events as they are
 * stored (so they agree with the table), tagged by buyer ({@code recipient_id}, {@code recipient_name});
 * the backlog figures are read from the database when scraped (at most once every 5 s).
 * See README "Monitoring" for what each means.
 */
public final class DeliveryMetrics extends ServiceSupport implements EventEmitter.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryMetrics.class);
    /** The registry camel-micrometer-prometheus binds (MicrometerConstants.METRICS_REGISTRY_NAME). */
    private static final String CAMEL_REGISTRY = "metricsRegistry";
    /** Response time buckets: the spec's 0.5 s, 2 s and 5 s among them. */
    private static final Duration[] RESPONSE_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
    private static final Duration DATABASE_FIGURES_EVERY = Duration.ofSeconds(5);

    private final CamelContext context;
    private final DataSource dataSource;
    private final BuyerCircuits circuits;
    private final Set<String> buyersSeen = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> consecutiveFailures = new ConcurrentHashMap<>();
    private volatile MeterRegistry registry = new SimpleMeterRegistry();

    public DeliveryMetrics(CamelContext context, DataSource dataSource, BuyerCircuits circuits) {
        this.context = context;
        this.dataSource = dataSource;
        this.circuits = circuits;
    }

    @Override
    protected void doStart() {
        MeterRegistry camel = context.getRegistry().lookupByNameAndType(CAMEL_REGISTRY, MeterRegistry.class);
        if (camel == null) {
            LOG.info("No Micrometer registry (camel.metrics.enabled=false): the router's metrics are kept but not served");
        } else {
            registry = camel;
        }
        OutboxBacklog outbox = new OutboxBacklog(dataSource);
        Supplier<OutboxBacklog.Backlog> backlog = cachedFromDatabase(outbox::now, new OutboxBacklog.Backlog(0, 0));
        Gauge.builder("leadrouter.firehose.outbox.events", () -> backlog.get().rows())
                .description("Events stored but not yet acknowledged by Kafka").register(registry);
        Gauge.builder("leadrouter.firehose.outbox.oldest", () -> backlog.get().oldestAgeSeconds()).baseUnit("seconds")
                .description("How long the oldest event of the outbox has waited for Kafka").register(registry);
        Gauge.builder("leadrouter.ready", () -> HealthCheckHelper.isResultsUp(HealthCheckHelper.invokeReadiness(context), true) ? 1 : 0)
                .description("1 while the router's readiness checks are UP (GET /observe/health/ready), else 0").register(registry);
        Supplier<Long> unfinished = cachedFromDatabase(this::leadsInProgress, 0L);
        Gauge.builder("leadrouter.leads.in.progress", unfinished::get)
                .description("Leads taken in whose buyers are not all done (every instance's)").register(registry);
    }

    /** Step of the intake: a new lead was stored and handed to routing. */
    public void leadReceived(String source) {
        Counter.builder("leadrouter.leads.received").description("Leads taken in (stored, answered 202 or read from Kafka)")
                .tag("source", source).register(registry).increment();
    }

    @Override
    public void recorded(ObjectNode event) {
        JsonNode recipient = event.path("recipient");
        String buyerId = recipient.path("id").asText();
        Tags buyer = Tags.of("recipient_id", buyerId, "recipient_name", recipient.path("name").asText());
        JsonNode metadata = event.path("metadata");
        switch (event.path("event_type").asText()) {
            case "recipient.delivery_attempt" -> {
                count("leadrouter.delivery.attempts", "Calls made to buyers", buyer);
                if (metadata.path("attempt_number").asInt() > 1) {
                    count("leadrouter.delivery.retries", "Calls that were retries of an earlier failed one", buyer);
                }
                firstSeen(buyerId, buyer);
            }
            case "recipient.delivered" -> {
                count("leadrouter.deliveries", "Leads a buyer accepted", buyer);
                failuresInARow(buyerId).set(0);
                JsonNode price = event.path("delivery").path("price");
                if (price.isNumber()) {
                    Counter.builder("leadrouter.revenue").description("Sum of the prices of the leads buyers accepted")
                            .tags(buyer).register(registry).increment(price.doubleValue());
                }
                responseTime(event, buyer, "delivered");
            }
            case "recipient.failed" -> {
                JsonNode failure = event.path("failure");
                Tags why = buyer.and("category", failure.path("category").asText(), "reason", failure.path("reason").asText());
                count("leadrouter.delivery.failures", "Calls that failed, by failure category and reason", why);
                failuresInARow(buyerId).incrementAndGet();
                boolean last = !failure.path("retry_eligible").asBoolean()
                        || metadata.path("attempt_number").asInt() >= metadata.path("total_attempts").asInt();
                if (last) {
                    count("leadrouter.delivery.final.failures", "Leads a buyer did not take after all its attempts", why);
                }
                responseTime(event, buyer, "failed");
            }
            default -> {
                // other event types (feedback) carry no delivery figure
            }
        }
    }

    /** Step of the dead-letter route: the buyer's attempts are used up (or the router failed). */
    public void deadLettered(Exchange exchange) {
        DeliveryAttempt attempt = exchange.getProperty(ExchangeKeys.ATTEMPT, DeliveryAttempt.class);
        String buyerId = attempt != null ? attempt.buyer().id() : exchange.getProperty(ExchangeKeys.BUYER_ID, "unknown", String.class);
        String name = attempt != null ? attempt.buyer().name() : "";
        count("leadrouter.dead.letters", "Leads stored as dead letters (replayable)", Tags.of("recipient_id", buyerId, "recipient_name", name));
    }

    private void count(String name, String description, Tags tags) {
        Counter.builder(name).description(description).tags(tags).register(registry).increment();
    }

    private void responseTime(ObjectNode event, Tags buyer, String outcome) {
        JsonNode duration = event.path("duration_ms");
        if (duration.isNumber()) {
            Timer.builder("leadrouter.delivery.response").description("How long buyers took to answer (or to fail)")
                    .serviceLevelObjectives(RESPONSE_BUCKETS).tags(buyer.and("outcome", outcome)).register(registry)
                    .record(Duration.ofMillis(duration.asLong()));
        }
    }

    /**
     * A buyer's first call: its gauges, and its delivery and revenue counters at 0, so that a buyer
     * that never delivers still has the series the alert rules divide by.
     */
    private void firstSeen(String buyerId, Tags buyer) {
        if (buyersSeen.add(buyerId)) {
            String routeId = BuyerRouteInstaller.routeId(buyerId);
            Gauge.builder("leadrouter.deliveries.in.flight", () -> context.getInflightRepository().size(routeId))
                    .description("Deliveries to the buyer under way, retries waiting included").tags(buyer).register(registry);
            Gauge.builder("leadrouter.delivery.consecutive.failures", failuresInARow(buyerId), AtomicLong::get)
                    .description("Failed calls to the buyer since its last delivery").tags(buyer).register(registry);
            Gauge.builder("leadrouter.deliveries.queued", () -> context.hasEndpoint("seda://" + routeId) instanceof SedaEndpoint queue
                    ? queue.getCurrentQueueSize() : 0)
                    .description("Leads waiting for one of the buyer's delivery threads").tags(buyer).register(registry);
            if (circuits != null) {
                for (CircuitState state : CircuitState.values()) {
                    Gauge.builder("leadrouter.buyer.circuit", () -> circuits.state(buyerId) == state ? 1 : 0)
                            .description("1 for the state the buyer's circuit is in (closed, open, probing, paused), else 0")
                            .tags(buyer.and("state", state.label())).register(registry);
                }
                Gauge.builder("leadrouter.held.leads", () -> circuits.held(buyerId))
                        .description("Leads held for the buyer while its circuit is open or it is paused").tags(buyer).register(registry);
            }
            Counter.builder("leadrouter.deliveries").description("Leads a buyer accepted").tags(buyer).register(registry);
            Counter.builder("leadrouter.revenue").description("Sum of the prices of the leads buyers accepted").tags(buyer).register(registry);
        }
    }

    private AtomicLong failuresInARow(String buyerId) {
        return consecutiveFailures.computeIfAbsent(buyerId, id -> new AtomicLong());
    }

    private long leadsInProgress() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select count(*) from leads where completed_at is null")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A database figure read at most once every 5 s however often it is scraped; the last one while the database is away. */
    private static <T> Supplier<T> cachedFromDatabase(DatabaseFigure<T> read, T initial) {
        return new Supplier<>() {
            private T last = initial;
            private long readAt = Long.MIN_VALUE;

            @Override
            public synchronized T get() {
                long now = System.nanoTime();
                if (readAt == Long.MIN_VALUE || now - readAt > DATABASE_FIGURES_EVERY.toNanos()) {
                    readAt = now;
                    try {
                        last = read.read();
                    } catch (SQLException e) {
                        LOG.debug("metric not read from the database: {}", e.getMessage());
                    }
                }
                return last;
            }
        };
    }

    @FunctionalInterface
    private interface DatabaseFigure<T> {
        T read() throws SQLException;
    }
}
