package io.leadrouter.routes;

import io.leadrouter.buyers.BuyerRoutes;
import io.leadrouter.routing.LeadRoutingRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;

/** Buyer routes as the router installs them, each buyer with one delivery thread (the profile application.properties would declare). */
final class OneThreadBuyerRoutes {

    private OneThreadBuyerRoutes() {
    }

    static BuyerRoutes in(CamelContext context) {
        if (context.getExecutorServiceManager().getThreadPoolProfile(BuyerRoutes.THREADS) == null) {
            context.getExecutorServiceManager().registerThreadPoolProfile(
                    new ThreadPoolProfileBuilder(BuyerRoutes.THREADS).poolSize(1).maxQueueSize(-1).build());
        }
        return new BuyerRoutes(context, 1, LeadRoutingRoutes.NEXT_BUYER);
    }
}
