package io.leadrouter.monitoring;

import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * The firehose outbox: events stored but not yet acknowledged by Kafka, and how long the oldest has
 * waited. Reported, never DOWN: intake and delivery go on while Kafka is away, and the backlog goes
 * out by itself when it is back (alerts on the backlog come from the metrics).
 */
public final class FirehoseBacklogHealthCheck extends AbstractHealthCheck {

    private final OutboxBacklog outbox;

    public FirehoseBacklogHealthCheck(DataSource dataSource) {
        super("leadrouter", "firehose-outbox");
        this.outbox = new OutboxBacklog(dataSource);
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.up();
        try {
            OutboxBacklog.Backlog backlog = outbox.now();
            builder.detail("rows", backlog.rows());
            builder.detail("oldest_age_seconds", backlog.oldestAgeSeconds());
            builder.message(backlog.rows() + " event(s) waiting for Kafka, the oldest for " + backlog.oldestAgeSeconds() + " s");
        } catch (SQLException e) {
            builder.message("the outbox cannot be read now: " + e.getMessage());
        }
    }
}
