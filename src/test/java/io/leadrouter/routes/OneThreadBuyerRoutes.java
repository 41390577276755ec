package io.leadrouter.routes;

import io.leadrouter.buyers.BuyerRouteInstaller;
import io.leadrouter.routing.LeadRoutingRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;

/** Buyer routes as the router installs them, each buyer with one delivery thread (the profile application.properties would declare). */
final class OneThreadBuyerRoutes {

    private OneThreadBuyerRoutes() {
    }

    static BuyerRouteInstaller in(CamelContext context) {
        if (context.getExecutorServiceManager().getThreadPoolProfile(BuyerRouteInstaller.THREADS) == null) {
            context.getExecutorServiceManager().registerThreadPoolProfile(
                    new ThreadPoolProfileBuilder(BuyerRouteInstaller.THREADS).poolSize(1).maxQueueSize(-1).build());
        }
        return new BuyerRouteInstaller(context, 1, LeadRoutingRoutes.NEXT_BUYER);
    }
}
