package io.leadrouter.analytics;

import org.apache.camel.builder.RouteBuilder;

/** Keeps the analytics rollups up with the events: drains their queue every leadrouter.analytics.rollup-period-ms. */
public final class AnalyticsRollupRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:analytics-rollup?period={{leadrouter.analytics.rollup-period-ms}}&delay={{leadrouter.analytics.rollup-period-ms}}")
                .routeId("analytics-rollup")
                .bean("analyticsRollups", "drain").id("drain-analytics-queue");
    }
}
