package io.leadrouter.buyers;

import org.apache.camel.builder.RouteBuilder;

/** Looks at the buyers folder every {@code leadrouter.buyers.scan-interval-ms} and applies changes (the first look is {@link InitialBuyerScan}). */
public final class BuyerFileRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:buyer-files?delay={{leadrouter.buyers.scan-interval-ms}}&period={{leadrouter.buyers.scan-interval-ms}}")
                .routeId("buyer-files")
                .bean("buyerFileWatcher", "scan");
    }
}
