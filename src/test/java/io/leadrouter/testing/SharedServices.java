package io.leadrouter.testing;

import io.leadrouter.dev.EmbeddedKafkaService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server and one real Kafka broker for the whole test run, started on first
 * use and stopped when the JVM ends. Each router under test gets a database of its own (and topics
 * of its own), so tests cannot see each other's leads.
 */
public final class SharedServices {

    /** The role routers under test work as: a login without privileges, given its grants by each database's migrations. */
    public static final String ROUTER_ROLE = "router_app";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static SharedServices instance;

    private final EmbeddedPostgres postgres;
    private final EmbeddedKafkaService kafka;

    private SharedServices() throws Exception {
        Path root = Files.createTempDirectory("lead-router-test");
        // every router under test has a pool of its own, and a few may be open at once
        postgres = EmbeddedPostgres.builder().setDataDirectory(root.resolve("postgres"))
                .setServerConfig("max_connections", "300").start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create role " + ROUTER_ROLE + " login");
        }
        kafka = new EmbeddedKafkaService("127.0.0.1", 0, root.resolve("kafka"));
        kafka.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.stop();
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    public static synchronized SharedServices get() {
        if (instance == null) {
            try {
                instance = new SharedServices();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the test PostgreSQL and Kafka", e);
            }
        }
        return instance;
    }

    /** Creates an empty database and answers its JDBC URL. */
    public String newDatabase() {
        String name = "router_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }
}
