package io.leadrouter.bench;

import io.leadrouter.dev.EmbeddedKafkaService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The PostgreSQL server and Kafka broker an operator runs beside the router, started before any
 * router is timed: the machine's PostgreSQL 15 binaries on a free port with a data folder of their
 * own (the system's cluster is left alone), and a KRaft broker in this JVM (not the router's), with
 * the router's topics created up front as a deployment would.
 */
final class ExternalServices implements AutoCloseable {

    private static final Path POSTGRES_BIN = Path.of(System.getProperty("startup.postgresBin", "/usr/lib/postgresql/15/bin"));
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path dataDir;
    private final int postgresPort;
    private final EmbeddedKafkaService kafka;

    ExternalServices(Path root) throws Exception {
        dataDir = root.resolve("postgres");
        Files.createDirectories(dataDir);
        if (ROOT) {
            // PostgreSQL refuses to run as root: its folder belongs to the postgres user
            UserPrincipal postgres = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dataDir, postgres);
        }
        postgresPort = RouterProcess.freePort();
        run(List.of(POSTGRES_BIN.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--no-sync"));
        run(List.of(POSTGRES_BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-w", "-l", dataDir.resolve("server.log").toString(),
                "-o", "-p " + postgresPort + " -k " + dataDir + " -c listen_addresses=127.0.0.1 -c max_connections=100", "start"));
        kafka = new EmbeddedKafkaService("127.0.0.1", 0, root.resolve("kafka"));
        kafka.start();
    }

    /** Creates the topics the router uses, as an operator would before the first start. */
    void createTopics(String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String topic : topics) {
                newTopics.add(new NewTopic(topic, 6, (short) 1));
            }
            admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Creates an empty database and answers its JDBC URL. */
    String newDatabase(String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        return jdbcUrl(name);
    }

    String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + database;
    }

    @Override
    public void close() throws Exception {
        kafka.stop();
        run(List.of(POSTGRES_BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        List<String> asPostgres = new ArrayList<>();
        if (ROOT) {
            asPostgres.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        asPostgres.addAll(command);
        Process process = new ProcessBuilder(asPostgres).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
