package io.leadrouter.delivery;

import org.apache.camel.builder.RouteBuilder;

/** Every instance reads which buyers answered 410 Gone, every second (see {@link GoneBuyers}). */
public final class GoneBuyerRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:gone-buyers?delay=1000&period=1000")
                .routeId("gone-buyers")
                .bean("goneBuyers", "sweep").id("read-gone-buyers");
    }
}
