package io.leadrouter.config;

import com.zaxxer.hikari.HikariDataSource;
import io.leadrouter.dev.EmbeddedKafkaService;
import io.leadrouter.dev.EmbeddedPostgresService;
import io.leadrouter.support.EmbeddedPostgresLogin;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database (migrated) and the Kafka brokers: external ones when configured, otherwise embedded
 * ones. The database (an embedded PostgreSQL, then Flyway) comes up on a Camel thread of its own
 * while camel-main goes on building the routes; an embedded broker starts on the caller's thread,
 * beside it. As a service, the first the context starts, this waits for the database, so no route
 * or service of the router starts before the schema is there; stopped last, it stops them.
 */
final class BackingServices extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BackingServices.class);

    private final CamelContext context;
    private final EmbeddedPostgresService postgres;
    private final EmbeddedKafkaService kafka;
    private final HikariDataSource dataSource;
    private final String brokers;
    private final ExecutorService startup;
    private final Future<?> database;

    private BackingServices(CamelContext context, EmbeddedPostgresService postgres, EmbeddedKafkaService kafka,
            HikariDataSource dataSource, String brokers, ExecutorService startup, Future<?> database) {
        this.context = context;
        this.postgres = postgres;
        this.kafka = kafka;
        this.dataSource = dataSource;
        this.brokers = brokers;
        this.startup = startup;
        this.database = database;
    }

    /** Starts the database in the background and an embedded broker (if any) now; {@link #start()} waits for the database. */
    static BackingServices start(CamelContext context, Settings settings) throws Exception {
        EmbeddedPostgresService postgres = settings.optionalText("leadrouter.datasource.url").isPresent() ? null
                : new EmbeddedPostgresService(settings.integer("leadrouter.embedded.postgres.port"),
                        Path.of(settings.text("leadrouter.embedded.postgres.data-dir")));
        EmbeddedKafkaService kafka = settings.optionalText("leadrouter.kafka.bootstrap-servers").isPresent() ? null
                : new EmbeddedKafkaService(settings.text("leadrouter.embedded.kafka.host"),
                        settings.integer("leadrouter.embedded.kafka.port"),
                        Path.of(settings.text("leadrouter.embedded.kafka.data-dir")));
        HikariDataSource dataSource = pool(settings);
        Login owner = null;
        if (postgres == null) {
            Login router = new Login(settings.text("leadrouter.datasource.url"), settings.text("leadrouter.datasource.username"),
                    settings.text("leadrouter.datasource.password"));
            owner = settings.optionalText("leadrouter.datasource.owner-username")
                    .map(user -> new Login(router.url(), user, settings.text("leadrouter.datasource.owner-password")))
                    .orElse(router);
            router.useIn(dataSource);
        }
        Login configuredOwner = owner;
        ExecutorService startup = context.getExecutorServiceManager().newSingleThreadExecutor(BackingServices.class, "database-startup");
        Future<?> database = startup.submit(() -> migrate(postgres, configuredOwner, dataSource));
        BackingServices services = new BackingServices(context, postgres, kafka, dataSource,
                settings.optionalText("leadrouter.kafka.bootstrap-servers").orElse(null), startup, database);
        if (kafka != null) {
            try {
                kafka.start();
            } catch (RuntimeException e) {
                services.stopAll();
                throw e;
            }
        }
        return services;
    }

    /**
     * Made without arguments, a Hikari pool opens on its first connection: the routes and services
     * are given it while the database, whose address an embedded one knows once it listens, starts.
     */
    private static HikariDataSource pool(Settings settings) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("lead-router");
        pool.setMaximumPoolSize(settings.integer("leadrouter.datasource.pool-size"));
        pool.setConnectionTimeout(settings.integer("leadrouter.datasource.connect-timeout-ms"));
        return pool;
    }

    /** Who connects to the database, and where. */
    private record Login(String url, String user, String password) {
        void useIn(HikariDataSource pool) {
            pool.setJdbcUrl(url);
            pool.setUsername(user);
            pool.setPassword(password);
        }
    }

    /**
     * The owner of the tables (an embedded database's superuser) runs the migrations, which grant the
     * router's own role (the pool's) only what its work needs: it cannot change or delete events.
     */
    private static void migrate(EmbeddedPostgresService postgres, Login configuredOwner, HikariDataSource dataSource) {
        Login owner = configuredOwner;
        if (postgres != null) {
            postgres.start();
            owner = new Login(postgres.jdbcUrl(), EmbeddedPostgresLogin.SUPERUSER, postgres.superuserPassword());
            new Login(postgres.jdbcUrl(), EmbeddedPostgresService.ROUTER_ROLE, postgres.routerPassword()).useIn(dataSource);
        }
        if (owner.user().equals(dataSource.getUsername())) {
            LOG.warn("The router's database role {} owns the tables, so it could change or delete events: give the router "
                    + "a role of its own and name the owner in leadrouter.datasource.owner-username", owner.user());
        }
        PGSimpleDataSource ownerLogin = new PGSimpleDataSource();
        ownerLogin.setUrl(owner.url());
        ownerLogin.setUser(owner.user());
        ownerLogin.setPassword(owner.password());
        MigrateResult migrated = Migrations.apply(ownerLogin, dataSource.getUsername());
        LOG.info("Database schema at version {} ({} migration(s) applied now)",
                migrated.targetSchemaVersion != null ? migrated.targetSchemaVersion : migrated.initialSchemaVersion,
                migrated.migrationsExecuted);
    }

    @Override
    protected void doStart() throws Exception {
        try {
            database.get();
        } catch (ExecutionException e) {
            stopAll();
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            context.getExecutorServiceManager().shutdown(startup);
        }
    }

    /**
     * Stopped last of the router's services (it is added first): the broker, then the pool, then the
     * database; a migration still under way (the router failed while it ran) is waited for first.
     */
    @Override
    protected void doStop() {
        stopAll();
    }

    /** Nothing is left running, also when the router cannot start. */
    void stopAll() {
        try {
            database.get();
        } catch (Exception failedItself) {
            // already reported, or the reason the router stops
        }
        context.getExecutorServiceManager().shutdown(startup);
        ServiceHelper.stopService(kafka);
        dataSource.close();
        ServiceHelper.stopService(postgres);
    }

    /** The pool, which opens its first connection once the database is there. */
    HikariDataSource dataSource() {
        return dataSource;
    }

    /** The configured cluster, or the embedded broker's address once it has started. */
    String brokers() {
        return kafka != null ? kafka.bootstrapServers() : brokers;
    }

    boolean anyEmbedded() {
        return postgres != null || kafka != null;
    }
}
