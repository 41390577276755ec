package io.leadrouter.buyers;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * Adds, replaces and removes exactly one buyer's route, made from the {@code buyer-delivery}
 * template. Camel's own route reload cannot do this for templated routes (see DESIGN.md).
 */
public final class BuyerRoutes {

    public static final String TEMPLATE = "buyer-delivery";

    private final CamelContext context;
    private final long removeGraceSeconds;

    public BuyerRoutes(CamelContext context, long removeGraceSeconds) {
        this.context = context;
        this.removeGraceSeconds = removeGraceSeconds;
    }

    public static String routeId(String buyerId) {
        return "deliver-" + buyerId;
    }

    /** Creates the buyer's route, or re-creates it when its redelivery policy changed. */
    public void install(Buyer buyer, Buyer previous) throws Exception {
        String routeId = routeId(buyer.id());
        Route existing = context.getRoute(routeId);
        if (existing != null && previous != null && previous.retry().equals(buyer.retry())) {
            return; // everything else is read from the catalog at each attempt
        }
        if (existing != null) {
            remove(buyer.id());
        }
        Buyer.RetryPolicy retry = buyer.retry();
        context.addRouteFromTemplate(routeId, TEMPLATE, Map.of(
                "buyerId", buyer.id(),
                "redeliveryDelay", retry.initialDelayMs(),
                "backOffMultiplier", retry.backoffMultiplier(),
                "maximumRedeliveryDelay", retry.maxDelayMs()));
    }

    /** Stops the buyer's route, letting its in-flight deliveries finish for a grace period, and removes it. */
    public void remove(String buyerId) throws Exception {
        String routeId = routeId(buyerId);
        if (context.getRoute(routeId) != null) {
            context.getRouteController().stopRoute(routeId, removeGraceSeconds, TimeUnit.SECONDS);
            context.removeRoute(routeId);
        }
    }
}
