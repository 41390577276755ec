package io.leadrouter.buyers;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;

/**
 * Reads the buyers folder once the context has fully started (routes added while Camel is still
 * starting may never start), and only then starts routing leads, so that no lead, new or
 * resumed, is routed before the buyers are known.
 */
public final class InitialBuyerScan implements ExtendedStartupListener {

    private final BuyerFileWatcher watcher;
    private final String routingRouteId;

    public InitialBuyerScan(BuyerFileWatcher watcher, String routingRouteId) {
        this.watcher = watcher;
        this.routingRouteId = routingRouteId;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // nothing yet: routes are still starting
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        watcher.scan();
        context.getRouteController().startRoute(routingRouteId);
    }
}
