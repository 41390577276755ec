package io.leadrouter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadrouter.LeadRouterApp;
import io.leadrouter.buyers.SecretResolver;
import io.leadrouter.support.EmbeddedPostgresLogin;
import io.leadrouter.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * The whole router, started as the README's run command starts it (camel-main with the real
 * application.properties and routes), against the shared PostgreSQL and Kafka, with its own
 * database, topics, buyers folder and HTTP port.
 */
public final class RouterUnderTest implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Map<String, Path> KEY_FILES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final ObjectMapper JSON = Json.MAPPER;

    /**
     * So that a stop does not sit out idle polls: a stopping router waits for each queue's consumer
     * threads to end their poll (Camel's seda default, 1 s; four of the router's queues use it, the
     * buyers' own poll 200 ms) and for the leads topic's poll under way (5 s by default). With the
     * defaults every stop of a router under test took 4 to 5 s, about half of the suite's time. The
     * stop's steps are the same; it notices sooner that the queues are idle, and so also leaves the
     * firehose relay less time to publish its last batch (see ForkedRouter: what is left waits in the
     * outbox for the next start on the same storage).
     */
    public static final Map<String, String> QUICK_STOP = Map.of(
            "camel.component.seda.default-poll-timeout", "100",
            "leadrouter.intake.kafka-poll-timeout-ms", "200");

    private final Main main;
    private final Path buyersDir;
    private final String jdbcUrl;
    /** The superuser's password on the router's database server ("" on the shared, trusting one). */
    private final String superuserPassword;
    private final int port;
    private final int managementPort;
    private final String eventsTopic;
    private final String leadsTopic;
    private final String alertsTopic;
    private final Path adminKeyFile;
    private volatile String adminKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RouterUnderTest(Builder builder) throws Exception {
        SharedServices services = SharedServices.get();
        int n = INSTANCES.incrementAndGet();
        this.buyersDir = builder.buyersDir != null ? builder.buyersDir : Files.createTempDirectory("buyers");
        this.jdbcUrl = builder.jdbcUrl != null ? builder.jdbcUrl : services.newDatabase();
        this.superuserPassword = builder.superuserPassword;
        this.port = freePort();
        this.managementPort = freePort();
        this.eventsTopic = builder.eventsTopic != null ? builder.eventsTopic : "recipient-events-" + n + "-" + System.nanoTime();
        this.alertsTopic = "recipient-alerts-" + n + "-" + System.nanoTime();
        this.leadsTopic = builder.leadsTopic != null ? builder.leadsTopic : "leads-" + n + "-" + System.nanoTime();
        // one file per database: the first router on a database writes it, later ones find their key there
        this.adminKeyFile = builder.adminKeyFile != null ? builder.adminKeyFile
                : KEY_FILES.computeIfAbsent(jdbcUrl, url -> temporaryKeyFile());

        Map<String, String> properties = new HashMap<>();
        properties.put("camel.server.port", String.valueOf(port));
        properties.put("camel.management.port", String.valueOf(managementPort));
        properties.put("camel.main.shutdown-timeout", "5");
        if (builder.embedded) {
            Path data = Files.createTempDirectory("embedded");
            properties.put("leadrouter.embedded.postgres.port", "0");
            properties.put("leadrouter.embedded.postgres.data-dir", data.resolve("postgres").toString());
            properties.put("leadrouter.embedded.kafka.port", "0");
            properties.put("leadrouter.embedded.kafka.data-dir", data.resolve("kafka").toString());
        } else {
            properties.put("leadrouter.datasource.url", jdbcUrl);
            if (builder.ownServer) {
                properties.put("leadrouter.datasource.username", EmbeddedPostgresLogin.SUPERUSER);
                properties.put("leadrouter.datasource.password", superuserPassword);
            } else {
                // as a production router should run: the tables are the superuser's, the router's role has only its grants
                properties.put("leadrouter.datasource.username", SharedServices.ROUTER_ROLE);
                properties.put("leadrouter.datasource.owner-username", EmbeddedPostgresLogin.SUPERUSER);
            }
            properties.put("leadrouter.kafka.bootstrap-servers", services.kafkaBootstrapServers());
        }
        properties.put("leadrouter.buyers.dir", buyersDir.toString());
        // the stub buyers listen on the loopback
        properties.put("leadrouter.buyers.allowed-networks", "127.0.0.0/8");
        properties.put("leadrouter.api.admin-key-file", adminKeyFile.toString());
        properties.put("leadrouter.buyers.scan-interval-ms", "200");
        properties.put("leadrouter.suppressions.dir", suppressionsDir().toString());
        properties.put("leadrouter.suppressions.scan-interval-ms", "200");
        properties.put("leadrouter.buyers.remove-grace-seconds", "2");
        properties.put("leadrouter.events.kafka-topic", eventsTopic);
        properties.put("leadrouter.intake.kafka-topic", leadsTopic);
        properties.put("leadrouter.intake.kafka-group", "router-test-" + n);
        properties.put("leadrouter.sandbox.enabled", "false");
        properties.put("leadrouter.recovery.delay-ms", "500");
        properties.put("leadrouter.recovery.period-ms", "500");
        properties.put("leadrouter.events.seal-period-ms", "300");
        properties.put("leadrouter.alerts.period-ms", "1000");
        properties.put("leadrouter.alerts.kafka-topic", alertsTopic);
        // a circuit opened by a loaded machine's timeouts is probed within a second, not 30 s
        properties.put("leadrouter.circuit.cool-down-ms", "1000");
        properties.put("leadrouter.circuit.max-cool-down-ms", "4000");
        properties.put("leadrouter.circuit.sweep-ms", "200");
        properties.put("leadrouter.rules.sweep-ms", "200");
        // fixtures write events dated months back (analytics, events API): kept, but in RetentionTest
        properties.put("leadrouter.retention.days", "3650");
        properties.put("leadrouter.retention.rollup-days", "3650");
        properties.putAll(QUICK_STOP);
        properties.putAll(builder.properties);

        main = new Main(LeadRouterApp.class);
        properties.forEach(main::addOverrideProperty);
        main.bind("secretResolver", new SecretResolver(name -> builder.secrets.get(name)));
        try {
            main.start();
        } catch (Exception | Error failed) {
            releaseAfterFailedStart(failed);
            throw failed;
        }
    }

    /**
     * A router that could not start gives its database connections back: left open, the pools of a
     * few failed starts use up the shared server's connections and every test after them fails too.
     */
    private void releaseAfterFailedStart(Throwable failed) {
        CamelContext context = main.getCamelContext();
        try {
            main.stop();
        } catch (RuntimeException e) {
            failed.addSuppressed(e);
        }
        if (context != null && context.getRegistry().lookupByName("dataSource") instanceof AutoCloseable pool) {
            try {
                pool.close();
            } catch (Exception e) {
                failed.addSuppressed(e);
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static RouterUnderTest start() throws Exception {
        return builder().start();
    }

    /** Options of a router under test; anything not set gets a fresh, private default. */
    public static final class Builder {
        private final Map<String, String> properties = new HashMap<>();
        private final Map<String, String> secrets = new HashMap<>();
        private Path buyersDir;
        private String jdbcUrl;
        private String superuserPassword = "";
        private boolean ownServer;
        private String eventsTopic;
        private String leadsTopic;
        private Path adminKeyFile;
        private boolean embedded;

        /** Configures no database and no broker, as a newcomer runs it: the router starts its own. */
        public Builder embedded() {
            this.embedded = true;
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** A secret as if it were set in the router's environment. */
        public Builder secret(String name, String value) {
            secrets.put(name, value);
            return this;
        }

        public Builder buyersDir(Path dir) {
            this.buyersDir = dir;
            return this;
        }

        /** Uses this database of the shared server (made with {@link SharedServices#newDatabase()}) instead of a fresh one. */
        public Builder database(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /** Uses this database (a PostgreSQL of the test's own, the router working as its superuser) instead of one on the shared server. */
        public Builder database(String jdbcUrl, String superuserPassword) {
            this.jdbcUrl = jdbcUrl;
            this.superuserPassword = superuserPassword;
            this.ownServer = true;
            return this;
        }

        /** Shares the database and topics of an earlier router, as a restarted router would. */
        public Builder sameStorageAs(RouterUnderTest earlier) {
            this.jdbcUrl = earlier.jdbcUrl;
            this.superuserPassword = earlier.superuserPassword;
            this.ownServer = !earlier.superuserPassword.isEmpty();
            this.eventsTopic = earlier.eventsTopic;
            this.leadsTopic = earlier.leadsTopic;
            this.buyersDir = earlier.buyersDir;
            this.adminKeyFile = earlier.adminKeyFile;
            return this;
        }

        public RouterUnderTest start() throws Exception {
            return new RouterUnderTest(this);
        }
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** The buyers' suppression files: beside the buyers folder, shared like it by a router on the same storage. */
    public Path suppressionsDir() {
        return buyersDir.resolveSibling(buyersDir.getFileName() + "-suppressions");
    }

    public Path buyersDir() {
        return buyersDir;
    }

    public String alertsTopic() {
        return alertsTopic;
    }

    public String eventsTopic() {
        return eventsTopic;
    }

    public String leadsTopic() {
        return leadsTopic;
    }

    /** Makes an API key with this role (read, operate, ingest, admin) and answers it. */
    public String newKey(String role) {
        return madeKey(role, "{\"role\":\"" + role + "\"}");
    }

    /** Makes a buyer key, which sees this buyer's part only, and answers it. */
    public String newBuyerKey(String recipientId) {
        return madeKey("buyer", "{\"role\":\"buyer\",\"recipient_id\":\"" + recipientId + "\"}");
    }

    private String madeKey(String role, String request) {
        HttpResponse<String> made = post("/api-keys", "application/json", request);
        if (made.statusCode() != 201) {
            throw new IllegalStateException("no " + role + " key: " + made.statusCode() + " " + made.body());
        }
        return read(made.body()).path("key").asText();
    }

    /** A GET of the management server, with this key (null for none). */
    public HttpResponse<String> observe(String path, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(managementUrl() + path)).timeout(Duration.ofSeconds(20)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The management server: /observe/health, /observe/metrics, /observe/jolokia. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Writes a buyer file into the router's buyers folder. */
    public Path writeBuyer(String fileName, String yaml) {
        try {
            Path file = buyersDir.resolve(fileName);
            Path temporary = buyersDir.resolve("." + fileName + ".tmp");
            Files.writeString(temporary, yaml);
            return Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path temporaryKeyFile() {
        try {
            return Files.createTempDirectory("router-keys").resolve("admin.key");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The admin key the router made at its first start on this database (what the quick start reads from data/admin.key). */
    public String adminKey() {
        if (adminKey == null) {
            try {
                adminKey = Files.readString(adminKeyFile).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("the router wrote no admin key file at " + adminKeyFile, e);
            }
        }
        return adminKey;
    }

    /** A POST with the admin key. */
    public HttpResponse<String> post(String path, String contentType, String body) {
        return call("POST", path, adminKey(), contentType, body);
    }

    /** A GET with the admin key. */
    public HttpResponse<String> get(String path) {
        return call("GET", path, adminKey(), null, null);
    }

    /**
     * Any request, with the given key as {@code Authorization: Bearer} (none when null).
     *
     * @param body null for none
     */
    public HttpResponse<String> call(String method, String path, String key, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request.build());
    }

    /** Posts a lead that must be accepted, and answers its lead id. */
    public String postLead(String json) {
        HttpResponse<String> response = post("/leads", "application/json", json);
        if (response.statusCode() != 202) {
            throw new AssertionError("lead not accepted: " + response.statusCode() + " " + response.body());
        }
        return read(response.body()).path("lead_id").asText();
    }

    /** The lead's events as answered by GET /leads/{id}/events. */
    public JsonNode events(String leadId) {
        HttpResponse<String> response = get("/leads/" + leadId + "/events");
        if (response.statusCode() != 200) {
            throw new AssertionError("events not readable: " + response.statusCode() + " " + response.body());
        }
        return read(response.body());
    }

    /** Waits until the lead's events satisfy the condition, and answers them. */
    public JsonNode awaitEvents(String leadId, java.util.function.Predicate<JsonNode> until) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> events(leadId), until::test);
    }

    /** Waits until the lead has this many terminal events (delivered, or failed without retry left). */
    public JsonNode awaitOutcomes(String leadId, int outcomes) {
        return awaitEvents(leadId, events -> count(events, "recipient.delivered") + finalFailures(events) >= outcomes);
    }

    public static int count(JsonNode events, String type) {
        int n = 0;
        for (JsonNode event : events) {
            if (event.path("event_type").asText().equals(type)) {
                n++;
            }
        }
        return n;
    }

    public static java.util.List<JsonNode> ofType(JsonNode events, String type) {
        java.util.List<JsonNode> found = new java.util.ArrayList<>();
        events.forEach(e -> {
            if (e.path("event_type").asText().equals(type)) {
                found.add(e);
            }
        });
        return found;
    }

    private static int finalFailures(JsonNode events) {
        int n = 0;
        for (JsonNode event : ofType(events, "recipient.failed")) {
            boolean retryable = event.path("failure").path("retry_eligible").asBoolean();
            boolean last = event.path("metadata").path("attempt_number").asInt() >= event.path("metadata").path("total_attempts").asInt();
            if (!retryable || last) {
                n++;
            }
        }
        return n;
    }

    /**
     * Between the tests of a class sharing one router: waits until every lead is finished, then deletes every
     * file of the buyers folder (whether or not the leads finished).
     */
    public void finishLeadsAndDeleteBuyerFiles() throws IOException {
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> count("select count(*) from leads where completed_at is null") == 0);
        } finally {
            try (java.util.stream.Stream<Path> files = Files.list(buyersDir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Writes a buyer file and waits until its buyer is in force. */
    public void installBuyer(String fileName, String buyerId, String yaml) {
        writeBuyer(fileName, yaml);
        awaitBuyer(buyerId);
    }

    /** Waits until the router has finished with the lead (every selected buyer has a terminal outcome). */
    public void awaitCompleted(String leadId) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                count("select count(*) from leads where completed_at is not null and lead_id = '" + leadId + "'") == 1);
    }

    /**
     * Whether the buyer is gone from GET /buyers and its route and queue are gone too: they are taken
     * down in the background, and must not race the next test's buyers or the router's stop.
     */
    public boolean buyerRemoved(String buyerId) {
        return !get("/buyers").body().contains("\"id\":\"" + buyerId + "\"")
                && main.getCamelContext().getRoute(io.leadrouter.buyers.BuyerRouteInstaller.routeId(buyerId)) == null
                && main.getCamelContext().hasEndpoint("seda://deliver-" + buyerId) == null;
    }

    /** Waits until GET /buyers lists this buyer as active. */
    public void awaitBuyer(String buyerId) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> get("/buyers").body().contains("\"id\":\"" + buyerId + "\""));
    }

    /** Runs a query on the router's own database and answers the first column of the first row. */
    public long count(String sql) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, EmbeddedPostgresLogin.SUPERUSER, superuserPassword);
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs a query on the router's own database and answers the first column of every row, as text. */
    public java.util.List<String> texts(String sql) {
        java.util.List<String> rows = new java.util.ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return rows;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, EmbeddedPostgresLogin.SUPERUSER, superuserPassword);
    }

    /**
     * Makes the events table's partitions of the UTC days from {@code from} to {@code to}, both included,
     * for a test that writes events into it with SQL of its own (the router makes those it writes into).
     */
    public static void makeEventDays(Connection connection, java.time.Instant from, java.time.Instant to) throws SQLException {
        try (java.sql.PreparedStatement make = connection.prepareStatement("""
                select recipient_events_partition(day::date)
                from generate_series((?::timestamptz at time zone 'UTC')::date, (?::timestamptz at time zone 'UTC')::date,
                    interval '1 day') as day""")) {
            make.setObject(1, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
            make.setObject(2, java.time.OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
            make.execute();
        }
    }

    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        main.stop();
    }

    private HttpResponse<String> send(HttpRequest request) {
        return HttpCalls.send(http, request);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
