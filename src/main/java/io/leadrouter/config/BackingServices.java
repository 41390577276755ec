package io.leadrouter.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.leadrouter.dev.EmbeddedKafkaService;
import io.leadrouter.dev.EmbeddedPostgresService;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database (migrated) and the Kafka brokers, ready before any route starts: external ones when
 * configured, otherwise embedded ones. The two are independent, so they start side by side: the
 * database (a process of its own, then Flyway) on a Camel thread, the broker on the caller's.
 *
 * @param postgres   the embedded PostgreSQL, or null when an external one is configured
 * @param kafka      the embedded broker, or null when an external cluster is configured
 */
record BackingServices(EmbeddedPostgresService postgres, HikariDataSource dataSource, EmbeddedKafkaService kafka, String brokers) {

    private static final Logger LOG = LoggerFactory.getLogger(BackingServices.class);

    boolean anyEmbedded() {
        return postgres != null || kafka != null;
    }

    static BackingServices start(CamelContext context, Settings settings) throws Exception {
        EmbeddedPostgresService postgres = settings.optionalText("leadrouter.datasource.url").isPresent() ? null
                : new EmbeddedPostgresService(settings.integer("leadrouter.embedded.postgres.port"),
                        Path.of(settings.text("leadrouter.embedded.postgres.data-dir")));
        EmbeddedKafkaService kafka = settings.optionalText("leadrouter.kafka.bootstrap-servers").isPresent() ? null
                : new EmbeddedKafkaService(settings.text("leadrouter.embedded.kafka.host"),
                        settings.integer("leadrouter.embedded.kafka.port"),
                        Path.of(settings.text("leadrouter.embedded.kafka.data-dir")));
        ExecutorService beside = context.getExecutorServiceManager().newSingleThreadExecutor(BackingServices.class, "database-startup");
        try {
            Future<HikariDataSource> database = beside.submit(() -> migratedDatabase(postgres, settings));
            try {
                if (kafka != null) {
                    kafka.start();
                }
                String brokers = kafka != null ? kafka.bootstrapServers() : settings.text("leadrouter.kafka.bootstrap-servers");
                return new BackingServices(postgres, result(database), kafka, brokers);
            } catch (Exception e) {
                stopAll(database, kafka, postgres);
                throw e;
            }
        } finally {
            context.getExecutorServiceManager().shutdown(beside);
        }
    }

    private static HikariDataSource migratedDatabase(EmbeddedPostgresService postgres, Settings settings) {
        HikariDataSource dataSource;
        if (postgres != null) {
            postgres.start();
            dataSource = dataSource(postgres.jdbcUrl(), postgres.username(), "", settings);
        } else {
            dataSource = dataSource(settings.text("leadrouter.datasource.url"), settings.text("leadrouter.datasource.username"),
                    settings.text("leadrouter.datasource.password"), settings);
        }
        try {
            MigrateResult migrated = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            LOG.info("Database schema at version {} ({} migration(s) applied now)",
                    migrated.targetSchemaVersion != null ? migrated.targetSchemaVersion : migrated.initialSchemaVersion,
                    migrated.migrationsExecuted);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    /** Nothing is left running when the router cannot start. */
    private static void stopAll(Future<HikariDataSource> database, EmbeddedKafkaService kafka, EmbeddedPostgresService postgres) {
        try {
            database.get().close();
        } catch (Exception failedItself) {
            // already reported, or the reason the router stops
        }
        ServiceHelper.stopService(kafka, postgres);
    }

    private static HikariDataSource dataSource(String url, String user, String password, Settings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("lead-router");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(settings.integer("leadrouter.datasource.pool-size"));
        config.setConnectionTimeout(settings.integer("leadrouter.datasource.connect-timeout-ms"));
        // a JDBC batch of event inserts goes as one multi-row insert
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }

    private static <T> T result(Future<T> future) throws Exception {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
