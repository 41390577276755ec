package io.leadrouter.buyers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds, replaces and removes the routes of exactly one buyer's route file. A replacement stops the old
 * routes (their calls under way finish within the grace period), adds the new ones, and, should they fail
 * to start, puts the old version back: a route file that does not start never leaves its buyer without
 * routes. Calls arriving meanwhile wait for the entry point (camel-direct waits for a consumer, 30 s by
 * default), so no attempt is lost to a replacement. Camel's own route reload cannot be used: a buyer's
 * routes must come and go with its buyer file.
 */
public final class BuyerRouteFileInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(BuyerRouteFileInstaller.class);

    private final CamelContext context;
    private final BuyerRouteFileReader reader;
    private final long graceSeconds;
    private final Map<String, BuyerRoutes> installed = new ConcurrentHashMap<>();

    public BuyerRouteFileInstaller(CamelContext context, BuyerRouteFileReader reader, long graceSeconds) {
        this.context = context;
        this.reader = reader;
        this.graceSeconds = graceSeconds;
    }

    /** The version in force for the buyer, if it has one. */
    public BuyerRoutes installed(String buyerId) {
        return installed.get(buyerId);
    }

    /** @throws BuyerFileException when the new routes clash with others or do not start; the previous version runs on */
    public synchronized void install(BuyerRoutes routes) throws BuyerFileException {
        BuyerRoutes previous = installed.get(routes.buyerId());
        if (previous != null && previous.hash().equals(routes.hash())) {
            return;
        }
        checkNoClash(routes, previous);
        stopAndRemove(previous);
        installed.remove(routes.buyerId());
        try {
            add(routes.routes());
        } catch (Exception e) {
            removeQuietly(routes);
            restore(previous);
            throw new BuyerFileException(routes.file(), List.of("does not start: " + firstLine(e)), e);
        }
        installed.put(routes.buyerId(), routes);
    }

    /** Takes the buyer's routes down, once nothing calls them any more (the buyer's own route is gone). */
    public synchronized void remove(String buyerId) {
        BuyerRoutes current = installed.remove(buyerId);
        try {
            stopAndRemove(current);
        } catch (BuyerFileException e) {
            LOG.error("The routes of buyer {} could not be removed: {}", buyerId, e.getMessage(), e);
        }
    }

    private void checkNoClash(BuyerRoutes routes, BuyerRoutes previous) throws BuyerFileException {
        List<String> own = previous == null ? List.of() : previous.routeIds();
        List<String> problems = new ArrayList<>();
        for (String id : routes.routeIds()) {
            if (context.getRoute(id) != null && !own.contains(id)) {
                problems.add("route id " + id + " is already used by another route");
            }
        }
        if (!problems.isEmpty()) {
            throw new BuyerFileException(routes.file(), problems);
        }
    }

    private void add(List<RouteDefinition> definitions) throws Exception {
        ((ModelCamelContext) context).addRouteDefinitions(definitions);
    }

    private void restore(BuyerRoutes previous) {
        if (previous == null) {
            return;
        }
        try {
            // fresh definitions from the text: the old ones were used up when their routes were removed
            BuyerRoutes again = reader.reload(previous);
            add(again.routes());
            installed.put(previous.buyerId(), again);
        } catch (Exception e) {
            LOG.error("The previous routes of buyer {} could not be restored: {}", previous.buyerId(), e.getMessage(), e);
        }
    }

    private void stopAndRemove(BuyerRoutes routes) throws BuyerFileException {
        if (routes == null) {
            return;
        }
        try {
            for (String id : routes.routeIds()) {
                if (context.getRoute(id) != null) {
                    context.getRouteController().stopRoute(id, graceSeconds, TimeUnit.SECONDS);
                    context.removeRoute(id);
                }
            }
        } catch (Exception e) {
            throw new BuyerFileException(routes.file(), List.of("the running version could not be stopped: " + firstLine(e)), e);
        }
    }

    /** What a failed start left behind: routes added, or definitions kept without a route. */
    private void removeQuietly(BuyerRoutes routes) {
        ModelCamelContext model = (ModelCamelContext) context;
        for (String id : routes.routeIds()) {
            try {
                if (context.getRoute(id) != null) {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                }
                RouteDefinition definition = model.getRouteDefinition(id);
                if (definition != null) {
                    model.removeRouteDefinition(definition);
                }
            } catch (Exception e) {
                LOG.warn("Route {} of a refused route file could not be removed: {}", id, e.getMessage());
            }
        }
    }

    private static String firstLine(Exception e) {
        Throwable root = io.leadrouter.support.Causes.root(e);
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.strip().lines().findFirst().orElse(root.getClass().getSimpleName());
    }
}
