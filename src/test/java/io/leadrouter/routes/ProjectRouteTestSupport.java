package io.leadrouter.routes;

import io.leadrouter.delivery.RetryWhileAttemptsLeft;
import io.leadrouter.monitoring.DeliveryMetrics;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;

/**
 * What the route tests share: each test advises the project's routes before it starts the context
 * itself, and the buyer routes' redelivery rule and the dead-letter count are the router's own.
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
    }
}
