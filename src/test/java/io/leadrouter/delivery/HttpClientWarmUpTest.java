package io.leadrouter.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The warm-up really goes through camel-http (to a loopback server of its own) and leaves no endpoint behind. */
class HttpClientWarmUpTest {

    @Test
    void postsThroughCamelHttpAndRemovesItsEndpoint() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            int endpointsBefore = context.getEndpoints().size();

            int status = new HttpClientWarmUp(context).warmUp();

            assertEquals(200, status, "the loopback server's answer, read through camel-http");
            assertTrue(context.getEndpoints().stream().noneMatch(e -> e.getEndpointUri().contains("warm-up")),
                    "no warm-up endpoint left: " + context.getEndpoints());
            assertEquals(endpointsBefore, context.getEndpoints().size());
        }
    }
}
