package io.leadrouter.routes;

import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.delivery.RetryWhileAttemptsLeft;
import io.leadrouter.monitoring.DeliveryMetrics;
import io.leadrouter.routing.BuyerRules;
import io.leadrouter.routing.OfferReservations;
import java.time.Clock;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;

/**
 * What the route tests share: each test advises the project's routes before it starts the context
 * itself, and the buyer routes' redelivery rule, the dead-letter count and the rules' gate are the router's own.
 */
abstract class ProjectRouteTestSupport extends CamelTestSupport {

    @Override
    public void configureTest(TestExecutionConfiguration testExecutionConfiguration) {
        super.configureTest(testExecutionConfiguration);
        testExecutionConfiguration.withUseAdviceWith(true);
    }

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        registry.bind("retryWhileAttemptsLeft", new RetryWhileAttemptsLeft());
        // counted in a registry of its own: not started, it serves nothing
        registry.bind("deliveryMetrics", new DeliveryMetrics(context, null, null));
        // the buyers' own rules are not under test here: with no buyer in its catalog, every offer goes through
        registry.bind("buyerRules", new BuyerRules(new BuyerCatalog(), new OfferReservations(null, "route-test", Clock.systemUTC()),
                null, null, Clock.systemUTC()));
    }
}
