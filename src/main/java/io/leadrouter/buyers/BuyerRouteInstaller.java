package io.leadrouter.buyers;

import io.leadrouter.model.Buyer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ThreadPoolProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.component.seda.SedaEndpoint;
import io.leadrouter.support.ThreadPoolProfiles;

/**
 * Adds, replaces and removes exactly one buyer's route, made from the {@code buyer-delivery}
 * template. Camel's own route reload cannot add or remove one templated route (Camel 4.18 and 4.22 alike).
 */
public final class BuyerRouteInstaller {

    public static final String TEMPLATE = "buyer-delivery";
    /**
     * The thread pool profile of every buyer: its pool size is the buyer's bulkhead (deliveries at
     * once, its queue's consumers) and the threads of the buyer's own retry scheduler.
     */
    public static final String THREADS = "buyer-delivery";

    private final CamelContext context;
    private final String nextBuyer;
    private final long removeGraceSeconds;
    private final int concurrencyPerBuyer;
    private final ExecutorService teardown;
    private final Map<String, Future<?>> pendingRemovals = new HashMap<>();

    /** @param nextBuyer where a lead goes on when its buyer is removed while the lead waits for it */
    public BuyerRouteInstaller(CamelContext context, long removeGraceSeconds, String nextBuyer) {
        this.context = context;
        this.nextBuyer = nextBuyer;
        this.removeGraceSeconds = removeGraceSeconds;
        ThreadPoolProfile profile = ThreadPoolProfiles.declared(context, THREADS);
        if (profile.getMaxQueueSize() == null || profile.getMaxQueueSize() != -1) {
            // a bounded retry queue would reject a failing buyer's retries beyond its size, and their leads would lose their walk
            throw new IllegalStateException("camel.threadpool.config[" + THREADS + "].max-queue-size: must be -1 (unbounded), got "
                    + profile.getMaxQueueSize());
        }
        this.concurrencyPerBuyer = profile.getPoolSize();
        this.teardown = context.getExecutorServiceManager().newSingleThreadExecutor(this, "buyer-route-teardown");
    }

    public static String routeId(String buyerId) {
        return "deliver-" + buyerId;
    }

    private static String redeliveryPool(String buyerId) {
        return "redelivery-" + buyerId;
    }

    /** Creates the buyer's route, or re-creates it when its redelivery policy changed. */
    public void install(Buyer buyer, Buyer previous) throws Exception {
        awaitRemoval(buyer.id());
        String routeId = routeId(buyer.id());
        Route existing = context.getRoute(routeId);
        if (existing != null && previous != null && previous.retry().equals(buyer.retry())) {
            return; // everything else is read from the catalog at each attempt
        }
        if (existing != null) {
            stopAndRemove(buyer.id());
        }
        Buyer.RetryPolicy retry = buyer.retry();
        // Retries run on the buyer's own scheduler too: a hanging buyer's retries cannot take
        // the threads of another buyer's retries (Camel's shared redelivery pool has 10).
        // Its queue holds every waiting retry, unbounded (max-queue-size -1: why, see application.properties).
        // A profile sizes pools but makes none: each buyer's scheduler is made from this one profile, named for the buyer.
        context.getRegistry().bind(redeliveryPool(buyer.id()), ScheduledExecutorService.class,
                context.getExecutorServiceManager().newScheduledThreadPool(this, redeliveryPool(buyer.id()), THREADS));
        // the prefix keeps the template's step ids unique per buyer (Camel wants them unique across routes)
        context.addRouteFromTemplate(routeId, TEMPLATE, buyer.id() + "-", Map.of(
                "buyerId", buyer.id(),
                "concurrency", concurrencyPerBuyer,
                "redeliveryPool", redeliveryPool(buyer.id()),
                "redeliveryDelay", retry.initialDelayMs(),
                "backOffMultiplier", retry.backoffMultiplier(),
                "maximumRedeliveryDelay", retry.maxDelayMs()));
    }

    /**
     * Takes the buyer's route down in the background (its in-flight deliveries get a grace period
     * to finish), so that other buyer files are applied meanwhile.
     */
    public synchronized void remove(String buyerId) {
        remove(buyerId, () -> { });
    }

    /** Like {@link #remove(String)}, and then runs {@code afterwards} (on the same background thread). */
    public synchronized void remove(String buyerId, Runnable afterwards) {
        pendingRemovals.put(buyerId, teardown.submit(() -> {
            stopAndRemove(buyerId);
            afterwards.run();
            return null;
        }));
    }

    /** Waits for a removal of the buyer still under way, if any. */
    void awaitRemoval(String buyerId) throws Exception {
        Future<?> removal;
        synchronized (this) {
            removal = pendingRemovals.remove(buyerId);
        }
        if (removal != null) {
            removal.get();
        }
    }

    /**
     * Stops the buyer's route, letting its in-flight deliveries finish for a grace period, and
     * removes it. Leads still queued for the buyer go on to their next buyer.
     */
    private void stopAndRemove(String buyerId) throws Exception {
        String routeId = routeId(buyerId);
        if (context.getRoute(routeId) != null) {
            context.getRouteController().stopRoute(routeId, removeGraceSeconds, TimeUnit.SECONDS);
            context.removeRoute(routeId);
        }
        Object pool = context.getRegistry().lookupByName(redeliveryPool(buyerId));
        if (pool instanceof ScheduledExecutorService scheduler) {
            context.getRegistry().unbind(redeliveryPool(buyerId));
            context.getExecutorServiceManager().shutdown(scheduler);
        }
        if (context.hasEndpoint("seda://deliver-" + buyerId) instanceof SedaEndpoint queue) {
            List<Exchange> waiting = new ArrayList<>();
            queue.getQueue().drainTo(waiting);
            try (ProducerTemplate producer = context.createProducerTemplate()) {
                waiting.forEach(lead -> producer.send(nextBuyer, lead));
            }
        }
    }
}
