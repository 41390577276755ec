package io.leadrouter.monitoring;

import java.sql.SQLException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/** Evaluates the alerts every {@code leadrouter.alerts.period-ms} ({@link AlertEvaluation}); a database away skips the round. */
public final class AlertRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:evaluate-alerts?delay={{leadrouter.alerts.period-ms}}&period={{leadrouter.alerts.period-ms}}")
                .routeId("evaluate-alerts")
                .onException(SQLException.class).handled(true)
                    .log(LoggingLevel.DEBUG, "Alert round skipped: ${exception.message}")
                .end()
                .bean("alertEvaluation", "round").id("alert-round");
    }
}
