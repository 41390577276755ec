package io.leadrouter.circuit;

import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.delivery.BuyerOnProbationException;
import io.leadrouter.delivery.ExchangeKeys;
import io.leadrouter.model.Buyer;
import io.leadrouter.model.DeliveryOutcome;
import io.leadrouter.model.FailureCategory;
import io.leadrouter.routing.HeldLeadRelease;
import io.leadrouter.routing.HeldLeads;
import io.leadrouter.support.DatabaseOutage;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker per buyer. After {@link CircuitPolicy#failuresToOpen} technical failures in a
 * row the circuit opens: the buyer is not called and its leads are held ({@link HeldLeads}). Once
 * the cool-down is over one lead is let through as a probe: an answer (any but a technical
 * failure) closes the circuit and the held leads go out in the order they were held
 * ({@link HeldLeadRelease}); a technical failure opens it again for twice the cool-down, up to the
 * longest. An operator may pause a buyer (held, no probes) and resume it.
 *
 * <p>The state is shared by every instance through the table buyer_circuits (each change one
 * conditional statement, see {@link CircuitStore}); each instance keeps a copy, refreshed at every
 * sweep (route {@code circuit-sweep}), which is what the gate in front of every call reads. Each
 * instance counts the failures it sees itself.
 */
public final class BuyerCircuits extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BuyerCircuits.class);
    /** The held leads are counted (a scan of the table) at every this many sweeps, for the metrics and the releases. */
    private static final int COUNT_HELD_EVERY = 5;
    /** A probe not answered within this (the router failed around it) gives the probe back. */
    private static final Duration PROBE_GIVEN_UP_AFTER = Duration.ofMinutes(5);

    /** This instance's view of one buyer's circuit. */
    private static final class Circuit {
        volatile CircuitState state = CircuitState.CLOSED;
        volatile Duration coolDown;
        /** Whether this instance holds the probe, and whether it is still to be sent. */
        volatile boolean probing;
        final AtomicBoolean probeArmed = new AtomicBoolean();
        volatile Instant probeStartedAt;
        final AtomicInteger failuresInARow = new AtomicInteger();
        /** Whether the buyer has answered since the router started or its circuit last closed by hand. */
        volatile boolean trusted;
        /** Calls under way that were let through on probation. */
        final AtomicInteger onProbation = new AtomicInteger();
    }

    /** A buyer's circuit as GET /buyers and the metrics show it. */
    public record View(CircuitState state, Instant openedAt, Instant nextProbeAt, Duration coolDown, String reason, Instant changedAt) {
    }

    private final CircuitStore store;
    private final CircuitPolicy policy;
    private final BuyerCatalog catalog;
    private final HeldLeads held;
    private final HeldLeadRelease release;
    private final String instanceId;
    private final Map<String, Circuit> circuits = new ConcurrentHashMap<>();
    private volatile Map<String, Long> heldCounts = Map.of();
    private long sweeps;

    public BuyerCircuits(DataSource dataSource, CircuitPolicy policy, BuyerCatalog catalog, HeldLeads held,
            HeldLeadRelease release, String instanceId) {
        this.store = new CircuitStore(dataSource);
        this.policy = policy;
        this.catalog = catalog;
        this.held = held;
        this.release = release;
        this.instanceId = instanceId;
    }

    /** Reads the shared state before the first lead: a circuit open before a restart stays open. */
    @Override
    protected void doStart() throws SQLException {
        refresh(store.all());
    }

    // ---- the gate in front of every call (route delivery-attempt) ----

    /**
     * Step {@code ask-circuit}: whether the lead is held rather than sent to the buyer now (property
     * {@link ExchangeKeys#HELD_BY_CIRCUIT}). Lets one lead through as the probe. A buyer on probation
     * (it has not answered since the router started or its circuit closed, or its last call failed)
     * gets no more calls at once than could still fail before its circuit opens, so that a buyer that
     * is down gets exactly failures-to-open calls, not as many as its deliveries in flight.
     *
     * @throws BuyerOnProbationException when the lead is to wait and ask again (no attempt used)
     */
    public void admit(Exchange exchange) throws BuyerOnProbationException {
        String buyerId = exchange.getProperty(ExchangeKeys.BUYER_ID, String.class);
        Circuit circuit = circuit(buyerId);
        boolean hold = switch (circuit.state) {
            case CLOSED -> false;
            case PROBING -> !circuit.probeArmed.compareAndSet(true, false);
            case OPEN, PAUSED -> true;
        };
        if (!hold && circuit.state == CircuitState.PROBING) {
            exchange.setProperty(ExchangeKeys.PROBE, true);
            circuit.probeStartedAt = Instant.now();
        } else if (!hold && (!circuit.trusted || circuit.failuresInARow.get() > 0)) {
            Buyer buyer = catalog.find(buyerId).orElse(null);
            int threshold = buyer == null ? 0 : policy.failuresToOpen(buyer);
            if (threshold > 0) {
                int underWay = circuit.onProbation.incrementAndGet();
                if (underWay + circuit.failuresInARow.get() > threshold) {
                    circuit.onProbation.decrementAndGet();
                    throw new BuyerOnProbationException(buyerId, underWay - 1);
                }
                exchange.setProperty(ExchangeKeys.ON_PROBATION, true);
            }
        }
        exchange.setProperty(ExchangeKeys.HELD_BY_CIRCUIT, hold);
    }

    /** Step {@code end-call}, however the call ended: a call counted on probation is no longer under way. */
    public void callEnded(Exchange exchange) {
        if (exchange.removeProperty(ExchangeKeys.ON_PROBATION) != null) {
            circuit(exchange.getProperty(ExchangeKeys.BUYER_ID, String.class)).onProbation.decrementAndGet();
        }
    }

    /** Step {@code tell-circuit}, after each call's outcome is recorded. */
    public void observe(Exchange exchange) {
        String buyerId = exchange.getProperty(ExchangeKeys.BUYER_ID, String.class);
        DeliveryOutcome outcome = exchange.getProperty(ExchangeKeys.OUTCOME, DeliveryOutcome.class);
        boolean probe = exchange.removeProperty(ExchangeKeys.PROBE) != null;
        boolean technical = !outcome.accepted() && outcome.failureReason().category() == FailureCategory.TECHNICAL;
        Circuit circuit = circuit(buyerId);
        if (probe) {
            exchange.setProperty(ExchangeKeys.PROBE_FAILED, technical);
            probeAnswered(buyerId, circuit, technical, outcome);
            return;
        }
        if (!technical) {
            circuit.failuresInARow.set(0);
            circuit.trusted = true;
            return;
        }
        int failures = circuit.failuresInARow.incrementAndGet();
        Buyer buyer = catalog.find(buyerId).orElse(null);
        int threshold = buyer == null ? 0 : policy.failuresToOpen(buyer);
        if (threshold > 0 && failures >= threshold && circuit.state == CircuitState.CLOSED) {
            open(buyerId, circuit, failures + " technical failures in a row, the last: " + outcome.failureReason().label());
        }
    }

    private synchronized void open(String buyerId, Circuit circuit, String reason) {
        if (circuit.state != CircuitState.CLOSED) {
            return;
        }
        circuit.state = CircuitState.OPEN;
        circuit.trusted = false;
        circuit.coolDown = policy.coolDown();
        LOG.warn("Circuit of buyer {} opened: {}. Its leads are held; first probe in {} s", buyerId, reason, policy.coolDown().toSeconds());
        shared("opening the circuit of " + buyerId, () -> store.open(buyerId, policy.coolDown(), reason));
    }

    private synchronized void probeAnswered(String buyerId, Circuit circuit, boolean technical, DeliveryOutcome outcome) {
        circuit.probing = false;
        if (technical) {
            Duration next = policy.nextCoolDown(circuit.coolDown == null ? policy.coolDown() : circuit.coolDown);
            circuit.coolDown = next;
            circuit.state = CircuitState.OPEN;
            LOG.warn("Circuit of buyer {} stays open: the probe failed ({}); next probe in {} s", buyerId,
                    outcome.failureReason().label(), next.toSeconds());
            shared("reopening the circuit of " + buyerId,
                    () -> store.reopen(buyerId, instanceId, next, "probe failed: " + outcome.failureReason().label()));
        } else {
            circuit.state = CircuitState.CLOSED;
            circuit.failuresInARow.set(0);
            circuit.trusted = true;
            LOG.info("Circuit of buyer {} closed: the probe was answered ({}); its held leads go out in the order held", buyerId,
                    outcome.accepted() ? "accepted" : outcome.failureReason().label());
            shared("closing the circuit of " + buyerId, () -> store.close(buyerId, instanceId, policy.coolDown(), "probe answered"));
        }
    }

    // ---- by hand (POST /buyers/{id}/pause and /resume) ----

    public synchronized void pause(String buyerId, String reason) throws SQLException {
        store.pause(buyerId, policy.coolDown(), reason);
        Circuit circuit = circuit(buyerId);
        circuit.state = CircuitState.PAUSED;
        circuit.probing = false;
        circuit.probeArmed.set(false);
        LOG.warn("Buyer {} paused: {}. Its leads are held until it is resumed", buyerId, reason);
    }

    /** Closes the buyer's circuit, whether paused or open; false when it was closed already. */
    public synchronized boolean resume(String buyerId, String reason) throws SQLException {
        boolean resumed = store.resume(buyerId, policy.coolDown(), reason);
        Circuit circuit = circuit(buyerId);
        circuit.state = CircuitState.CLOSED;
        circuit.trusted = false; // on probation until it answers
        circuit.probing = false;
        circuit.probeArmed.set(false);
        circuit.failuresInARow.set(0);
        if (resumed) {
            LOG.warn("Buyer {} resumed: {}. Its held leads go out in the order held", buyerId, reason);
        }
        return resumed;
    }

    // ---- the sweep (route circuit-sweep) ----

    /**
     * Every second: takes back what gone instances left half done, refreshes this instance's view,
     * starts the probes that are due, and releases held leads to the buyers whose circuit is closed.
     */
    public synchronized void sweep() throws SQLException {
        try {
            held.takeBackAbandoned();
            store.takeBackAbandonedProbes(instanceId);
            Map<String, CircuitStore.Row> rows = store.all();
            refresh(rows);
            if (sweeps++ % COUNT_HELD_EVERY == 0) {
                heldCounts = held.heldByBuyer();
            }
            Instant now = Instant.now();
            for (Buyer buyer : catalog.all()) {
                Circuit circuit = circuit(buyer.id());
                CircuitStore.Row row = rows.get(buyer.id());
                if (row != null && row.state() == CircuitState.OPEN && !row.probeAt().isAfter(now)) {
                    startProbe(buyer.id(), circuit);
                } else if (circuit.probing && circuit.probeStartedAt != null
                        && circuit.probeStartedAt.plus(PROBE_GIVEN_UP_AFTER).isBefore(now)) {
                    LOG.warn("The probe of buyer {} gave no answer in {} min; probing again", buyer.id(), PROBE_GIVEN_UP_AFTER.toMinutes());
                    circuit.probing = false;
                    store.reopen(buyer.id(), instanceId, Duration.ZERO, "probe gave no answer");
                } else if (circuit.state == CircuitState.CLOSED && heldCounts.getOrDefault(buyer.id(), 0L) > 0) {
                    release.release(buyer.id(), policy.releasePerSweep());
                }
            }
        } catch (SQLException e) {
            if (!DatabaseOutage.isOutage(e)) {
                throw e;
            }
            LOG.debug("Circuit sweep skipped, the database is unreachable: {}", e.getMessage());
        }
    }

    private void startProbe(String buyerId, Circuit circuit) throws SQLException {
        if (!store.startProbe(buyerId, instanceId)) {
            return; // another instance probes
        }
        circuit.state = CircuitState.PROBING;
        circuit.probing = true;
        circuit.probeStartedAt = Instant.now();
        circuit.probeArmed.set(true);
        // the longest held lead goes as the probe; with none whose walk is over, the next lead to come does
        int sent = release.release(buyerId, 1);
        LOG.info("Probing buyer {} with {}", buyerId, sent == 1 ? "its longest held lead" : "the next lead that comes");
    }

    /** Takes the shared state, except for a probe this instance is running (it knows better). */
    private void refresh(Map<String, CircuitStore.Row> rows) {
        for (Map.Entry<String, Circuit> entry : circuits.entrySet()) {
            if (!rows.containsKey(entry.getKey()) && !entry.getValue().probing) {
                entry.getValue().state = CircuitState.CLOSED;
            }
        }
        for (CircuitStore.Row row : rows.values()) {
            Circuit circuit = circuit(row.buyerId());
            if (circuit.probing && row.state() == CircuitState.PROBING && instanceId.equals(row.probeBy())) {
                continue;
            }
            circuit.probing = false;
            circuit.probeArmed.set(false);
            circuit.coolDown = row.coolDown();
            if (circuit.state != CircuitState.CLOSED && row.state() == CircuitState.CLOSED) {
                circuit.failuresInARow.set(0);
            }
            circuit.state = row.state();
        }
    }

    // ---- what the API and the metrics show ----

    /** Every stored circuit, as the table says (every instance's). */
    public Map<String, View> views() throws SQLException {
        Map<String, View> views = new HashMap<>();
        for (CircuitStore.Row row : store.all().values()) {
            views.put(row.buyerId(), new View(row.state(), row.openedAt(), row.probeAt(), row.coolDown(), row.reason(), row.changedAt()));
        }
        return views;
    }

    /** This instance's view of the buyer's circuit. */
    public CircuitState state(String buyerId) {
        return Optional.ofNullable(circuits.get(buyerId)).map(c -> c.state).orElse(CircuitState.CLOSED);
    }

    /** Every buyer's held leads now (released ones under way included). */
    public Map<String, Long> heldNow() throws SQLException {
        return held.heldByBuyer();
    }

    /** The buyer's held leads as last counted (at most COUNT_HELD_EVERY sweeps ago). */
    public long held(String buyerId) {
        return heldCounts.getOrDefault(buyerId, 0L);
    }

    private Circuit circuit(String buyerId) {
        return circuits.computeIfAbsent(buyerId, id -> new Circuit());
    }

    /** A change of the shared state that must not fail the delivery it came from: the next sweep reads the table again. */
    private static void shared(String what, SqlWork work) {
        try {
            work.run();
        } catch (SQLException e) {
            LOG.warn("Circuit state not stored ({}): {}", what, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface SqlWork {
        Object run() throws SQLException;
    }
}
