package io.leadrouter.retention;

import java.sql.SQLException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * Runs the retention job ({@link EventRetention}) shortly after start and then every
 * {@code leadrouter.retention.period-ms}. A round the database refuses (away, or the table's lock
 * not had within 5 s because an export is reading it) is logged and done again at the next one.
 */
public final class RetentionRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:retention?delay={{leadrouter.retention.first-round-delay-ms}}&period={{leadrouter.retention.period-ms}}")
                .routeId("retention")
                .onException(SQLException.class).handled(true)
                    .log(LoggingLevel.WARN, "Retention round not done, tried again at the next: ${exception.message}")
                .end()
                .bean("eventRetention", "round").id("retention-round");
    }
}
