package io.leadrouter.events;

import java.sql.SQLException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * Seals the events table every {@code leadrouter.events.seal-period-ms} ({@link EventSeals}: a
 * checkpoint every third round). A database away skips the round; the next one goes on from there.
 */
public final class EventSealRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:event-seals?delay={{leadrouter.events.seal-period-ms}}&period={{leadrouter.events.seal-period-ms}}")
                .routeId("seal-events")
                .onException(SQLException.class).handled(true)
                    .log(LoggingLevel.DEBUG, "Event seal round skipped: ${exception.message}")
                .end()
                .bean("eventSeals", "round").id("seal-round");
    }
}
