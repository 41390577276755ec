package io.leadrouter.config;

import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** The schema (db/migration), migrated by the tables' owner; afterMigrate.sql then grants the router's role its rights. */
public final class Migrations {

    private Migrations() {
    }

    /** @param routerRole the role the router's pool logs in as (the owner itself when it has none of its own) */
    public static MigrateResult apply(DataSource owner, String routerRole) {
        return apply(owner, routerRole, "latest");
    }

    /** Up to a version ("latest" for all): a test of a migration starts from the schema before it. */
    public static MigrateResult apply(DataSource owner, String routerRole, String target) {
        return Flyway.configure().dataSource(owner).locations("classpath:db/migration")
                .placeholders(Map.of("routerRole", routerRole)).target(target)
                .load().migrate();
    }
}
