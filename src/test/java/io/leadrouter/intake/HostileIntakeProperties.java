package io.leadrouter.intake;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadrouter.intake.HostileInputs.Body;
import io.leadrouter.intake.HostileInputs.HostileRequest;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.KafkaLeads;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.SharedServices;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.opentest4j.TestAbortedException;

/**
 * Intake under hostile input (issue 9), as properties over generated input against one router
 * (real PostgreSQL, real Kafka, one accepting buyer) started once for the class:
 * <ul>
 * <li>POST /leads never answers 5xx, always answers in bounded time, answers the JSON error shape
 * unless 202, stores nothing for a refused request, and has every 202 lead in the table;</li>
 * <li>valid leads posted at the same moment as a hostile request are accepted and delivered;</li>
 * <li>on the Kafka leads topic every hostile record is stored (when it is a lead after all) or
 * parked exactly once on {@code <topic>-invalid} with its problem, and the lead behind it is
 * stored and delivered.</li>
 * </ul>
 * The tries run one after another, so the row count of {@code leads} around a try is the try's own:
 * each holds {@link #ONE_TRY_AT_A_TIME}, because jqwik's bounded shrinking leaves the shrinking thread
 * running when its time is up, and such a thread's late tries are turned away (see {@link #ended()}).
 *
 * <p>Surefire runs the {@code *Properties} classes since the pom names them (its defaults left this
 * class out of {@code mvn test} until then); every property here passes.
 */
class HostileIntakeProperties {

    private static final String BUYER = "rcp_Hostil3Intake01";
    /** The longest a request may go unanswered before the property calls it a hang. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);
    /** The refusals of intake, and 431 (a request head too large), an honest refusal as long as it has the JSON shape. */
    private static final Set<Integer> REFUSALS = Set.of(400, 409, 413, 415, 431);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger KAFKA_TRIES = new AtomicInteger();

    private static StubBuyer buyer;
    private static RouterUnderTest router;
    private static Connection db;
    private static HttpClient http;
    private static String leadsTopic;
    private static String clusterId;
    private static KafkaProducer<String, byte[]> producer;
    private static KafkaConsumer<String, byte[]> invalid;
    /** Every record parked on the invalid topic so far, by key. */
    private static final Map<String, List<ConsumerRecord<String, byte[]>>> PARKED = new ConcurrentHashMap<>();

    private static final ReentrantLock ONE_TRY_AT_A_TIME = new ReentrantLock();
    /** Properties that have ended: a try of theirs now comes from an abandoned shrinking thread. */
    private static final Set<String> ENDED = ConcurrentHashMap.newKeySet();
    private static volatile String current;

    @BeforeContainer
    static void start() throws Exception {
        leadsTopic = "hostile-leads-" + System.nanoTime();
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.get().kafkaBootstrapServers());
        try (Admin kafka = Admin.create(admin)) {
            // one partition each: the records of a try are read in the order they were produced
            kafka.createTopics(List.of(new NewTopic(leadsTopic, 1, (short) 1), new NewTopic(leadsTopic + "-invalid", 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            clusterId = kafka.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
        buyer = StubBuyer.answering(Reply.json(200, ACCEPTED));
        router = RouterUnderTest.builder().property("leadrouter.intake.kafka-topic", leadsTopic).start();
        router.writeBuyer("hostile.yaml", BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads")));
        router.awaitBuyer(BUYER);
        db = router.connect();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.get().kafkaBootstrapServers());
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerConfig.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000);
        producer = new KafkaProducer<>(producerConfig);

        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.get().kafkaBootstrapServers());
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        invalid = new KafkaConsumer<>(consumerConfig);
        TopicPartition parked = new TopicPartition(leadsTopic + "-invalid", 0);
        invalid.assign(List.of(parked));
        invalid.seekToBeginning(List.of(parked));
    }

    @AfterContainer
    static void stop() throws SQLException {
        if (invalid != null) {
            invalid.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (db != null) {
            db.close();
        }
        if (router != null) {
            router.close();
        }
        if (buyer != null) {
            buyer.close();
        }
    }

    @Provide
    Arbitrary<HostileRequest> hostileRequests() {
        return HostileInputs.requests();
    }

    @Provide
    Arbitrary<Body> leadsInWideEncodings() {
        return HostileInputs.leadsInWideEncodings();
    }

    @Provide
    Arbitrary<List<Body>> hostileRecords() {
        return HostileInputs.kafkaValues().list().ofMinSize(1).ofMaxSize(4);
    }

    // ---- POST /leads ----

    @Property(tries = 250, shrinking = ShrinkingMode.BOUNDED)
    void postLeadsAnswers202OnlyForAStoredLeadAndRefusesEverythingElseWithAJsonErrorStoringNothing(
            @ForAll("hostileRequests") HostileRequest request) throws SQLException {
        try (Turn turn = turn("postLeads")) {
            Answer answer = assertAnsweredAndStoredByTheRules(request);
            Statistics.label("answers").collect(answer.status());
            Statistics.label("answers by body").collect(request.body().kind().replaceAll("[0-9]+", "N"), answer.status());
        }
    }

    /**
     * A request head over the HTTP server's limit (Vert.x's default maxHeaderSize, 8192 bytes) is
     * answered 431 in the API's JSON error shape (HttpServerGuard's invalid-request handler).
     */
    @Property(tries = 10, shrinking = ShrinkingMode.BOUNDED)
    void headersOverTheServerLimitAreRefusedInTheJsonErrorShape(
            @ForAll @IntRange(min = 7_000, max = 65_000) int headerValueLength) throws SQLException {
        try (Turn turn = turn("oversizedHeaders")) {
            assertAnsweredAndStoredByTheRules(new HostileRequest(Body.text("plain lead", SAMPLE_LEAD),
                    new HostileInputs.Headers(List.of("application/json"), Map.of("X-Filler", "h".repeat(headerValueLength)))));
        }
    }

    /**
     * A lead in UTF-16 or UTF-32, with or without a byte order mark, ASCII-only or not, is refused
     * with 400: JSON is UTF-8 (its NUL bytes would otherwise pass a UTF-8 check and let Jackson
     * detect the wide encoding).
     */
    @Property(tries = 10, shrinking = ShrinkingMode.BOUNDED)
    void aLeadInUtf16OrUtf32IsRefusedAsNotUtf8(@ForAll("leadsInWideEncodings") Body body) throws SQLException {
        try (Turn turn = turn("notUtf8")) {
            Answer answer = assertAnsweredAndStoredByTheRules(new HostileRequest(body,
                    new HostileInputs.Headers(List.of("application/json"), Map.of())));
            assertEquals(400, answer.status(), "JSON is UTF-8: " + body + " answered " + answer);
        }
    }

    private static Answer assertAnsweredAndStoredByTheRules(HostileRequest request) throws SQLException {
        long before = leadCount();

        Answer answer = answer(send(request));

        assertKeepsTheRules(answer);
        long stored = leadCount() - before;
        if (answer.status() == 202) {
            assertTrue(stored == 0 || stored == 1, "one lead stored at most for a 202, got " + stored);
            assertEquals(1, leadsWithId(answer.leadId()), "the 202 lead " + answer.leadId() + " is in the table");
        } else {
            assertEquals(0, stored, "a refused request stores nothing; answer " + answer);
        }
        return answer;
    }

    @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
    void validLeadsPostedAtTheSameTimeAsAHostileRequestAreAcceptedAndDelivered(
            @ForAll("hostileRequests") HostileRequest hostile) throws SQLException {
        try (Turn turn = turn("neighbours")) {
            assertNeighboursUnaffected(hostile);
        }
    }

    private static void assertNeighboursUnaffected(HostileRequest hostile) throws SQLException {
        long before = leadCount();
        List<String> leadIds = List.of(LeadIds.next(), LeadIds.next(), LeadIds.next());

        CompletableFuture<HttpResponse<String>> hostileAnswer = send(request(hostile));
        List<CompletableFuture<HttpResponse<String>>> validAnswers = new ArrayList<>();
        for (String leadId : leadIds) {
            validAnswers.add(send(post(List.of("application/json"), Map.of(),
                    KafkaLeads.withLeadId(leadId, SAMPLE_LEAD).getBytes(StandardCharsets.UTF_8))));
        }

        // every answer first, so that no request of this try is still under way when it fails
        Answer answer = answer(hostileAnswer);
        List<Answer> valid = validAnswers.stream().map(HostileIntakeProperties::answer).toList();
        assertKeepsTheRules(answer);
        for (int i = 0; i < leadIds.size(); i++) {
            assertEquals(202, valid.get(i).status(), "a valid lead beside " + hostile + ": " + valid.get(i));
            assertEquals(leadIds.get(i), valid.get(i).leadId());
        }
        long stored = leadCount() - before - leadIds.size();
        if (answer.status() == 202) {
            assertTrue(stored == 0 || stored == 1, "one hostile lead stored at most for its 202, got " + stored);
            assertEquals(1, leadsWithId(answer.leadId()));
        } else {
            assertEquals(0, stored, "the refused hostile request stored nothing; answer " + answer);
        }
        awaitDelivered(leadIds);
    }

    // ---- the Kafka leads topic ----

    @Property(tries = 12, shrinking = ShrinkingMode.BOUNDED)
    void everyHostileKafkaRecordIsStoredOrParkedOnceAndTheLeadBehindItIsStoredAndDelivered(
            @ForAll("hostileRecords") List<Body> records) throws Exception {
        try (Turn turn = turn("kafka")) {
            assertStoredOrParkedOnce(records);
        }
    }

    private static void assertStoredOrParkedOnce(List<Body> records) throws Exception {
        int attempt = KAFKA_TRIES.incrementAndGet();
        List<Produced> produced = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            String key = "hostile-" + attempt + "-" + i;
            long offset = producer.send(new ProducerRecord<>(leadsTopic, 0, key, records.get(i).bytes()))
                    .get(30, TimeUnit.SECONDS).offset();
            produced.add(new Produced(key, records.get(i), offset));
        }
        String leadId = LeadIds.next();
        producer.send(new ProducerRecord<>(leadsTopic, 0, "valid-" + attempt,
                KafkaLeads.withLeadId(leadId, SAMPLE_LEAD).getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);

        // the partition went on: the lead behind the hostile records is stored and delivered
        Awaitility.await("lead " + leadId + " behind " + records + " stored from Kafka").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> count("select count(*) from leads where lead_id = ? and source = 'kafka'", leadId) == 1);
        awaitDelivered(List.of(leadId));

        // and each record before it was taken in, or set aside exactly once with its problem
        Awaitility.await("each hostile record stored or parked once").pollInSameThread()
                .during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    readParked();
                    for (Produced record : produced) {
                        assertStoredOrParkedOnce(record);
                    }
                });
        produced.forEach(record -> Statistics.label("hostile records")
                .collect(PARKED.containsKey(record.key()) ? "parked" : "stored"));
    }

    // ---- one try at a time ----

    /** The turn of one try: no other try runs meanwhile, and a try of an ended property does not run at all. */
    private static Turn turn(String property) {
        ONE_TRY_AT_A_TIME.lock();
        if (ENDED.contains(property)) {
            ONE_TRY_AT_A_TIME.unlock();
            throw new TestAbortedException("a late try of property " + property + " (from its abandoned shrinking)");
        }
        current = property;
        return ONE_TRY_AT_A_TIME::unlock;
    }

    private interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    @AfterProperty
    void ended() {
        ONE_TRY_AT_A_TIME.lock();
        try {
            if (current != null) {
                ENDED.add(current);
            }
        } finally {
            ONE_TRY_AT_A_TIME.unlock();
        }
    }

    // ---- the rules of an answer ----

    /** Never 5xx; 202 with the lead's id, or a refusal in the JSON error shape. */
    private static void assertKeepsTheRules(Answer answer) {
        assertFalse(answer.status() >= 500, "a hostile request is never a server error: " + answer);
        assertTrue(answer.status() == 202 || REFUSALS.contains(answer.status()),
                "202, or a refusal 400/409/413/415/431: " + answer);
        assertTrue(answer.contentType().startsWith("application/json"), "a JSON answer: " + answer);
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("the answer is not JSON: " + answer, e);
        }
        if (answer.status() == 202) {
            assertEquals(1, body.size(), answer.toString());
            assertTrue(LeadIds.isValid(body.path("lead_id").asText()), "a 202 names its lead_id: " + answer);
        } else {
            assertEquals(2, body.size(), "the error shape {\"error\", \"status\"}: " + answer);
            assertTrue(body.path("error").isTextual() && !body.path("error").asText().isBlank(), "an error says why: " + answer);
            assertEquals(answer.status(), body.path("status").asInt(-1), "the error's status is the answer's: " + answer);
        }
    }

    private static void assertStoredOrParkedOnce(Produced record) throws SQLException {
        List<ConsumerRecord<String, byte[]>> parked = PARKED.getOrDefault(record.key(), List.of());
        String derivedId = LeadIds.derivedFrom(clusterId + "/" + leadsTopic + "/0/" + record.offset());
        if (parked.isEmpty()) {
            String leadId = givenLeadId(record.value().bytes());
            String expected = leadId != null ? leadId : derivedId;
            assertEquals(1, leadsWithId(expected), "record " + record + " neither parked nor stored as " + expected);
            return;
        }
        assertEquals(1, parked.size(), "record " + record + " parked " + parked.size() + " times");
        ConsumerRecord<String, byte[]> set = parked.get(0);
        Header error = set.headers().lastHeader("leadrouter-error");
        assertNotNull(error, "record " + record + " parked without a leadrouter-error header");
        assertFalse(new String(error.value(), StandardCharsets.UTF_8).isBlank(), "an empty leadrouter-error for " + record);
        assertTrue(Arrays.equals(record.value().bytes(), set.value()), "record " + record + " parked as it came, got "
                + (set.value() == null ? "no value" : HostileInputs.preview(set.value(), 200)));
        assertEquals(0, leadsWithId(derivedId), "record " + record + " parked and also stored as " + derivedId);
    }

    /** The lead_id a record gives itself, if it is a JSON object with a well-formed one. */
    private static String givenLeadId(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode id = JSON.readTree(value).path("lead_id");
            return id.isTextual() && LeadIds.isValid(id.asText()) ? id.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    // ---- HTTP ----

    private static HttpRequest request(HostileRequest hostile) {
        return post(hostile.headers().contentTypes(), hostile.headers().extra(), hostile.body().bytes());
    }

    private static HttpRequest post(List<String> contentTypes, Map<String, String> extra, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(router.baseUrl() + "/leads"))
                .timeout(ANSWER_WITHIN).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", "Bearer " + router.adminKey());
        contentTypes.forEach(value -> request.header("Content-Type", value));
        extra.forEach(request::header);
        return request.build();
    }

    private static CompletableFuture<HttpResponse<String>> send(HostileRequest hostile) {
        return send(request(hostile));
    }

    private static CompletableFuture<HttpResponse<String>> send(HttpRequest request) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The answer, or the assertion that there was none in time (a hang) or none at all (a dropped connection). */
    private static Answer answer(CompletableFuture<HttpResponse<String>> pending) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = pending.join();
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new AssertionError("no answer within " + ANSWER_WITHIN.toSeconds() + " s", cause);
            }
            throw new AssertionError("the connection ended without an answer after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms: " + cause, cause);
        }
    }

    private record Answer(int status, String contentType, String body) {

        String leadId() {
            try {
                return JSON.readTree(body).path("lead_id").asText();
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + (body.length() <= 400 ? body : body.substring(0, 400) + "...");
        }
    }

    // ---- Kafka ----

    private record Produced(String key, Body value, long offset) {
        @Override
        public String toString() {
            return key + " at offset " + offset + ": " + value;
        }
    }

    private static void readParked() {
        for (ConsumerRecord<String, byte[]> record : invalid.poll(Duration.ofMillis(100))) {
            PARKED.computeIfAbsent(String.valueOf(record.key()), k -> new ArrayList<>()).add(record);
        }
    }

    // ---- the database ----

    private static long leadCount() throws SQLException {
        return count("select count(*) from leads");
    }

    private static long leadsWithId(String leadId) throws SQLException {
        return count("select count(*) from leads where lead_id = ?", leadId);
    }

    private static void awaitDelivered(List<String> leadIds) {
        Awaitility.await("leads " + leadIds + " delivered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> count("select count(distinct lead_id) from recipient_events where event_type = 'recipient.delivered'"
                        + " and recipient_id = ? and lead_id = any(?)", BUYER, leadIds.toArray(String[]::new)) == leadIds.size());
    }

    private static synchronized long count(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof String[] array) {
                    query.setArray(i + 1, db.createArrayOf("text", array));
                } else {
                    query.setObject(i + 1, parameters[i]);
                }
            }
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
