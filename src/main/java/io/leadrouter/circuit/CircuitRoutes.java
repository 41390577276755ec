package io.leadrouter.circuit;

import org.apache.camel.builder.RouteBuilder;

/** The circuit breakers' sweep (see {@link BuyerCircuits#sweep()}): every leadrouter.circuit.sweep-ms. */
public final class CircuitRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:circuit-sweep?delay={{leadrouter.circuit.sweep-ms}}&period={{leadrouter.circuit.sweep-ms}}")
                .routeId("circuit-sweep")
                .bean("buyerCircuits", "sweep").id("sweep-circuits");
    }
}
