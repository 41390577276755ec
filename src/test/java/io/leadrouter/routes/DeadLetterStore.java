package io.leadrouter.routes;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;

/**
 * The dead-letter route with its store (bean {@code deadLetters}, a database table) replaced by a
 * mock endpoint: the route's flow stays, and a test sees every lead it stores.
 */
final class DeadLetterStore {

    /** Where the buyer routes' dead-letter channel sends a lead whose attempts are used up. */
    static final String DEAD_LETTER_CHANNEL = "direct:dead-letter";
    static final String MOCK = "mock:dead-letter-store";

    private DeadLetterStore() {
    }

    static void replaceWithMock(CamelContext context) throws Exception {
        String routeId = ProjectYamlRoutes.routeConsuming(context, DEAD_LETTER_CHANNEL);
        AdviceWith.adviceWith(context, routeId, route -> route.weaveById("store-dead-letter").replace().to(MOCK));
    }
}
