package io.leadrouter.buyers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** Each buyer's retry scheduler must hold every waiting retry: a bounded profile stops startup, naming its key. */
class BuyerRouteInstallerTest {

    @Test
    void aBoundedRetryQueueIsRefusedWithItsKey() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getExecutorServiceManager().registerThreadPoolProfile(
                    new ThreadPoolProfileBuilder(BuyerRouteInstaller.THREADS).poolSize(4).maxQueueSize(1000).build());

            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> new BuyerRouteInstaller(context, 1, "seda:next-buyer"));

            assertEquals("camel.threadpool.config[buyer-delivery].max-queue-size: must be -1 (unbounded), got 1000", refused.getMessage());
        }
    }
}
