package io.leadrouter.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** A pool the router needs is sized in application.properties; one left out stops startup, naming the key to add. */
class ThreadPoolProfilesTest {

    @Test
    void readsADeclaredProfileAndNamesTheKeyOfAMissingOne() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            context.getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder("sized").poolSize(3).build());
            context.getExecutorServiceManager().registerThreadPoolProfile(new ThreadPoolProfileBuilder("unsized").maxQueueSize(-1).build());

            assertEquals(3, ThreadPoolProfiles.declared(context, "sized").getPoolSize());
            assertEquals("camel.threadpool.config[absent].pool-size: missing from application.properties",
                    assertThrows(IllegalStateException.class, () -> ThreadPoolProfiles.declared(context, "absent")).getMessage());
            assertEquals("camel.threadpool.config[unsized].pool-size: missing from application.properties",
                    assertThrows(IllegalStateException.class, () -> ThreadPoolProfiles.declared(context, "unsized")).getMessage());
        }
    }
}
