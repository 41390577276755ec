package io.leadrouter.bench;

import io.leadrouter.dev.EmbeddedKafkaService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.awaitility.Awaitility;

/**
 * The real PostgreSQL server and Kafka broker of a benchmark run, in the benchmark's JVM, with
 * their data in a fresh temporary folder that is deleted at the end. Each scenario gets a
 * database and topics of its own.
 */
final class BenchServices implements AutoCloseable {

    static final int PARTITIONS = 6;

    private final Path root;
    private final EmbeddedPostgres postgres;
    private final EmbeddedKafkaService kafka;
    private final Admin admin;

    BenchServices() throws Exception {
        root = Files.createTempDirectory("lead-router-bench");
        postgres = EmbeddedPostgres.builder().setDataDirectory(root.resolve("postgres")).setCleanDataDirectory(true)
                .setServerConfig("max_connections", "200")
                // counts every statement the routers run, so that the hot ones can be EXPLAINed (EventTable.hotQueryPlans)
                .setServerConfig("shared_preload_libraries", "pg_stat_statements").start();
        kafka = new EmbeddedKafkaService("127.0.0.1", 0, root.resolve("kafka"));
        kafka.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    Path root() {
        return root;
    }

    String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Creates an empty database and answers its JDBC URL. */
    String newDatabase(String name) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name;
    }

    static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }

    /** Creates the topics up front, so that neither the router nor the benchmark waits on auto-creation. */
    void createTopics(String... topics) throws Exception {
        List<NewTopic> newTopics = Stream.of(topics).map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList();
        admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
    }

    /** Waits until a member of the consumer group has partitions assigned (the router's intake is listening). */
    /** Waits until {@code members} consumers of the group each have partitions (a settled rebalance). */
    void awaitConsumerGroupAssigned(String group, int members, Duration atMost) {
        Awaitility.await("consumer group " + group + " to have " + members + " member(s) with partitions").atMost(atMost)
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                            .all().get(10, TimeUnit.SECONDS).get(group);
                    return description.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count()
                            >= members;
                });
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        kafka.stop();
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("[bench] PostgreSQL did not stop cleanly: " + e.getMessage());
        }
        deleteRecursively(root);
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[bench] could not delete " + dir + ": " + e.getMessage());
        }
    }
}
