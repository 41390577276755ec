package io.leadrouter.monitoring;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Readiness: DOWN while PostgreSQL cannot be reached (intake would answer 503), saying why. Each
 * probe opens a connection of its own with a two-second bound, so a probe answers quickly even when
 * the pool's connections all wait on a database that went away.
 */
public final class DatabaseHealthCheck extends AbstractHealthCheck {

    private static final int TIMEOUT_SECONDS = 2;

    private final HikariDataSource pool;

    public DatabaseHealthCheck(HikariDataSource pool) {
        super("leadrouter", "database");
        this.pool = pool;
    }

    @Override
    public boolean isLiveness() {
        return false; // an outage is waited out (nothing is lost); restarting the router would not help
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        PGSimpleDataSource probe = new PGSimpleDataSource();
        probe.setUrl(pool.getJdbcUrl());
        probe.setUser(pool.getUsername());
        probe.setPassword(pool.getPassword());
        probe.setLoginTimeout(TIMEOUT_SECONDS);
        probe.setConnectTimeout(TIMEOUT_SECONDS);
        probe.setSocketTimeout(TIMEOUT_SECONDS);
        try (Connection connection = probe.getConnection()) {
            if (connection.isValid(TIMEOUT_SECONDS)) {
                builder.up();
            } else {
                builder.down().message("PostgreSQL did not answer within " + TIMEOUT_SECONDS + " s");
            }
        } catch (SQLException e) {
            builder.down().message("PostgreSQL is unreachable: " + e.getMessage());
        }
    }
}
