package io.leadrouter.config;

import com.zaxxer.hikari.HikariDataSource;
import io.leadrouter.dev.EmbeddedKafkaService;
import io.leadrouter.dev.EmbeddedPostgresService;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database (migrated) and the Kafka brokers: external ones when configured, otherwise embedded
 * ones. They start in the background as soon as the router is configured, side by side, while
 * camel-main loads and builds the routes; this service, the first the context starts, waits for
 * them, so that no service or route of the router starts before they are ready.
 */
final class BackingServices extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BackingServices.class);

    private final EmbeddedPostgresService postgres;
    private final EmbeddedKafkaService kafka;
    private final HikariDataSource dataSource;
    private final String brokers;
    private CamelContext context;
    private ExecutorService startup;
    private Future<?> database;
    private Future<?> broker;

    private BackingServices(EmbeddedPostgresService postgres, EmbeddedKafkaService kafka, HikariDataSource dataSource, String brokers) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.dataSource = dataSource;
        this.brokers = brokers;
    }

    /** What the settings ask for, nothing started yet. */
    static BackingServices configured(Settings settings) {
        EmbeddedPostgresService postgres = settings.optionalText("leadrouter.datasource.url").isPresent() ? null
                : new EmbeddedPostgresService(settings.integer("leadrouter.embedded.postgres.port"),
                        Path.of(settings.text("leadrouter.embedded.postgres.data-dir")));
        EmbeddedKafkaService kafka = settings.optionalText("leadrouter.kafka.bootstrap-servers").isPresent() ? null
                : new EmbeddedKafkaService(settings.text("leadrouter.embedded.kafka.host"),
                        settings.integer("leadrouter.embedded.kafka.port"),
                        Path.of(settings.text("leadrouter.embedded.kafka.data-dir")));
        String brokers = kafka != null ? kafka.bootstrapServers() : settings.text("leadrouter.kafka.bootstrap-servers");
        HikariDataSource dataSource = pool(settings);
        if (postgres == null) {
            connect(dataSource, settings.text("leadrouter.datasource.url"), settings.text("leadrouter.datasource.username"),
                    settings.text("leadrouter.datasource.password"));
        }
        return new BackingServices(postgres, kafka, dataSource, brokers);
    }

    /**
     * Made without arguments, a Hikari pool opens on its first connection: the routes and services
     * can be given it while an embedded PostgreSQL, whose address is known once it listens, starts.
     */
    private static HikariDataSource pool(Settings settings) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("lead-router");
        pool.setMaximumPoolSize(settings.integer("leadrouter.datasource.pool-size"));
        pool.setConnectionTimeout(settings.integer("leadrouter.datasource.connect-timeout-ms"));
        // a JDBC batch of event inserts goes as one multi-row insert
        pool.addDataSourceProperty("reWriteBatchedInserts", "true");
        return pool;
    }

    private static void connect(HikariDataSource pool, String url, String user, String password) {
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
    }

    /** Starts the database (then Flyway) and the broker on threads of their own; {@link #start()} waits for them. */
    void startInBackground(CamelContext context) {
        this.context = context;
        startup = context.getExecutorServiceManager().newFixedThreadPool(this, "backing-services-startup", 2);
        database = startup.submit(this::migrate);
        broker = startup.submit(() -> {
            if (kafka != null) {
                kafka.start();
            }
        });
    }

    @Override
    protected void doStart() throws Exception {
        try {
            result(database);
            result(broker);
        } catch (Exception e) {
            // nothing is left running when the router cannot start
            finished(database);
            finished(broker);
            dataSource.close();
            ServiceHelper.stopService(kafka, postgres);
            throw e;
        } finally {
            context.getExecutorServiceManager().shutdown(startup);
        }
    }

    private void migrate() {
        if (postgres != null) {
            postgres.start();
            connect(dataSource, postgres.jdbcUrl(), postgres.username(), "");
        }
        MigrateResult migrated = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        LOG.info("Database schema at version {} ({} migration(s) applied now)",
                migrated.targetSchemaVersion != null ? migrated.targetSchemaVersion : migrated.initialSchemaVersion,
                migrated.migrationsExecuted);
    }

    EmbeddedPostgresService postgres() {
        return postgres;
    }

    EmbeddedKafkaService kafka() {
        return kafka;
    }

    /** The pool, which opens its first connection once the database is there. */
    HikariDataSource dataSource() {
        return dataSource;
    }

    String brokers() {
        return brokers;
    }

    boolean anyEmbedded() {
        return postgres != null || kafka != null;
    }

    private static void finished(Future<?> future) {
        try {
            future.get();
        } catch (Exception alreadyReported) {
            // the failure is the one being thrown, or follows from it
        }
    }

    private static <T> T result(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
