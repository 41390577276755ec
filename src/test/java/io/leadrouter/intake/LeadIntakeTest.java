package io.leadrouter.intake;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static io.leadrouter.testing.RouterUnderTest.count;
import static io.leadrouter.testing.RouterUnderTest.ofType;
import static io.leadrouter.testing.JsonErrors.assertJsonError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.KafkaLeads;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.SharedServices;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Intake against a running router with one accepting buyer: POST /leads answers 202 only for a
 * lead it stored, refuses bad input with the exact status and problem while storing nothing, is
 * idempotent on a client-given lead_id; the Kafka leads topic takes leads in the same way and
 * sets bad records aside on {@code <topic>-invalid}.
 */
class LeadIntakeTest {

    private static final String BUYER = "rcp_Int4keTestBuyer";
    private static final int MAX_BODY_BYTES = 1024;

    private static StubBuyer buyer;
    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        buyer = StubBuyer.answering(Reply.json(200, ACCEPTED));
        router = RouterUnderTest.builder()
                .property("leadrouter.intake.max-body-bytes", String.valueOf(MAX_BODY_BYTES))
                .start();
        router.writeBuyer("intake.yaml", BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads")));
        router.awaitBuyer(BUYER);
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        if (buyer != null) {
            buyer.close();
        }
    }

    // ---- a good lead ----

    @Test
    void aGoodLeadIsAcceptedStoredAndDelivered() {
        HttpResponse<String> response = router.post("/leads", "application/json", SAMPLE_LEAD);

        assertEquals(202, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        JsonNode body = RouterUnderTest.read(response.body());
        assertEquals(1, body.size(), response.body());
        String leadId = body.path("lead_id").asText();
        assertTrue(leadId.matches("lead_[0-9A-Za-z]{16}"), leadId);

        // stored before the 202: the row is there at once, with the lead's own fields
        assertEquals(1, router.count("select count(*) from leads where lead_id = '" + leadId
                + "' and source = 'http' and payload ->> 'first_name' = 'Ann' and payload ->> 'zip' = '73301'"));

        JsonNode events = router.awaitOutcomes(leadId, 1);
        List<JsonNode> delivered = ofType(events, "recipient.delivered");
        assertEquals(1, delivered.size(), events.toPrettyString());
        assertEquals(BUYER, delivered.get(0).path("recipient").path("id").asText());
        assertEquals(1, buyer.requests().stream()
                .filter(r -> DeliveryAttempt.idempotencyKey(leadId, BUYER).equals(r.header("Idempotency-Key"))).count());
    }

    @Test
    void aLeadWithACharsetAndATrailingNewlineIsAccepted() {
        HttpResponse<String> response = router.post("/leads", "application/json; charset=utf-8", SAMPLE_LEAD + "\r\n");
        assertEquals(202, response.statusCode(), response.body());
        String leadId = RouterUnderTest.read(response.body()).path("lead_id").asText();
        assertEquals(1, count(router.awaitOutcomes(leadId, 1), "recipient.delivered"));
    }

    // ---- bad input: exact status and problem, and nothing stored, nothing delivered ----

    @Test
    void bodyThatIsNotJson() {
        assertRefused("application/json", "not json", 400,
                "body is not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line 1, column 4");
    }

    @Test
    void truncatedJson() {
        assertRefused("application/json", "{\"first_name\":\"Ann\"", 400,
                "body is not valid JSON: Unexpected end-of-input: expected close marker for Object at line 1, column 20");
    }

    @Test
    void jsonObjectFollowedByMoreText() {
        assertRefused("application/json", "{\"first_name\":\"Ann\"} trailing", 400,
                "body is not valid JSON: Unrecognized token 'trailing': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line 1, column 30");
    }

    @Test
    void jsonArray() {
        assertRefused("application/json", "[" + SAMPLE_LEAD + "]", 400, "lead must be a JSON object, got an array");
    }

    @Test
    void jsonString() {
        assertRefused("application/json", "\"a lead\"", 400, "lead must be a JSON object, got a string");
    }

    @Test
    void jsonNumber() {
        assertRefused("application/json", "42", 400, "lead must be a JSON object, got a number");
    }

    @Test
    void emptyBody() {
        assertRefused("application/json", null, 400, "request body is empty: send the lead as a JSON object");
    }

    @Test
    void blankBody() {
        assertRefused("application/json", "  \n ", 400, "request body is empty: send the lead as a JSON object");
    }

    @Test
    void textPlainContentType() {
        assertRefused("text/plain", SAMPLE_LEAD, 415, "Content-Type must be application/json, got text/plain");
    }

    @Test
    void missingContentType() {
        assertRefused(null, SAMPLE_LEAD, 415, "Content-Type must be application/json, got none");
    }

    @Test
    void bodyOverTheLimit() {
        String lead = padded("{\"first_name\":\"Ann\",\"notes\":\"", "\"}", 2000);
        assertEquals(2000, lead.getBytes(StandardCharsets.UTF_8).length);
        assertRefused("application/json", lead, 413, "lead is 2000 bytes, more than the limit of 1024 bytes");
    }

    @Test
    void bodyExactlyAtTheLimitIsAccepted() {
        String lead = padded("{\"first_name\":\"Ann\",\"notes\":\"", "\"}", MAX_BODY_BYTES);
        HttpResponse<String> response = router.post("/leads", "application/json", lead);
        assertEquals(202, response.statusCode(), response.body());
        String leadId = RouterUnderTest.read(response.body()).path("lead_id").asText();
        assertEquals(1, count(router.awaitOutcomes(leadId, 1), "recipient.delivered"));
    }

    @Test
    void leadIdTooShort() {
        assertRefused("application/json", "{\"lead_id\":\"lead_123\",\"first_name\":\"Ann\"}", 400,
                "lead_id must be 'lead_' and 16 letters or digits, got \"lead_123\"");
    }

    @Test
    void leadIdWithAWrongPrefixOrCharacter() {
        assertRefused("application/json", "{\"lead_id\":\"lead-0123456789abcdef\"}", 400,
                "lead_id must be 'lead_' and 16 letters or digits, got \"lead-0123456789abcdef\"");
        assertRefused("application/json", "{\"lead_id\":\"lead_0123456789abcde-\"}", 400,
                "lead_id must be 'lead_' and 16 letters or digits, got \"lead_0123456789abcde-\"");
    }

    @Test
    void leadIdThatIsNotAString() {
        assertRefused("application/json", "{\"lead_id\":12345}", 400,
                "lead_id must be 'lead_' and 16 letters or digits, got 12345");
    }

    // ---- idempotent intake ----

    @Test
    void aLeadPostedTwiceWithTheSameLeadIdIsStoredAndDeliveredOnce() {
        String leadId = LeadIds.next();
        String lead = KafkaLeads.withLeadId(leadId, SAMPLE_LEAD);

        HttpResponse<String> first = router.post("/leads", "application/json", lead);
        HttpResponse<String> second = router.post("/leads", "application/json", lead);
        assertEquals(202, first.statusCode(), first.body());
        assertEquals(202, second.statusCode(), second.body());
        assertEquals(leadId, RouterUnderTest.read(first.body()).path("lead_id").asText());
        assertEquals(leadId, RouterUnderTest.read(second.body()).path("lead_id").asText());

        router.awaitOutcomes(leadId, 1);
        // and once more after it was delivered
        HttpResponse<String> third = router.post("/leads", "application/json", lead);
        assertEquals(202, third.statusCode(), third.body());
        assertEquals(leadId, RouterUnderTest.read(third.body()).path("lead_id").asText());

        String key = DeliveryAttempt.idempotencyKey(leadId, BUYER);
        Awaitility.await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertEquals(1, router.count("select count(*) from leads where lead_id = '" + leadId + "'"));
            JsonNode events = router.events(leadId);
            assertEquals(1, count(events, "recipient.delivery_attempt"), events.toPrettyString());
            assertEquals(1, count(events, "recipient.delivered"), events.toPrettyString());
            assertEquals(1, buyer.requests().stream().filter(r -> key.equals(r.header("Idempotency-Key"))).count());
        });
    }

    @Test
    void aClientGivenLeadIdIsKeptAndNotSentAsALeadField() {
        String leadId = LeadIds.next();
        String answered = router.postLead(KafkaLeads.withLeadId(leadId, SAMPLE_LEAD));
        assertEquals(leadId, answered);
        router.awaitOutcomes(leadId, 1);
        assertEquals(0, router.count("select count(*) from leads where lead_id = '" + leadId + "' and payload ? 'lead_id'"));
    }

    // ---- events of an unknown lead ----

    @Test
    void eventsOfAnUnknownLeadAre404WithAJsonError() {
        String unknown = LeadIds.next();
        HttpResponse<String> response = router.get("/leads/" + unknown + "/events");
        assertEquals(404, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode error = RouterUnderTest.read(response.body());
        assertEquals("no lead " + unknown, error.path("error").asText());
        assertEquals(404, error.path("status").asInt());
    }

    // ---- Kafka intake ----

    @Test
    void aLeadFromTheKafkaTopicIsStoredAndDelivered() {
        String leadId = LeadIds.next();
        try (KafkaProducer<String, String> producer = KafkaLeads.producer()) {
            producer.send(new ProducerRecord<>(router.leadsTopic(), leadId, KafkaLeads.withLeadId(leadId, SAMPLE_LEAD))).get();
        } catch (Exception e) {
            throw new AssertionError("could not produce the lead", e);
        }

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                router.count("select count(*) from leads where lead_id = '" + leadId + "' and source = 'kafka'") == 1);
        JsonNode events = router.awaitOutcomes(leadId, 1);
        List<JsonNode> delivered = ofType(events, "recipient.delivered");
        assertEquals(1, delivered.size(), events.toPrettyString());
        assertEquals(BUYER, delivered.get(0).path("recipient").path("id").asText());
        assertTrue(buyer.requests().stream()
                .anyMatch(r -> DeliveryAttempt.idempotencyKey(leadId, BUYER).equals(r.header("Idempotency-Key"))));
    }

    @Test
    void anInvalidKafkaRecordGoesToTheInvalidTopicWithItsProblemAndNothingIsStored() {
        Snapshot before = snapshot();
        String marker = "not json " + System.nanoTime();
        try (KafkaConsumer<String, String> invalid = consumer(router.leadsTopic() + "-invalid")) {
            try (KafkaProducer<String, String> producer = KafkaLeads.producer()) {
                producer.send(new ProducerRecord<>(router.leadsTopic(), marker)).get();
            } catch (Exception e) {
                throw new AssertionError("could not produce the record", e);
            }

            AtomicReference<ConsumerRecord<String, String>> found = new AtomicReference<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : invalid.poll(Duration.ofMillis(200))) {
                    if (marker.equals(record.value())) {
                        found.set(record);
                    }
                }
                return found.get() != null;
            });
            Header error = found.get().headers().lastHeader("leadrouter-error");
            assertNotNull(error, "the invalid record carries a leadrouter-error header");
            assertEquals("body is not valid JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at line 1, column 4",
                    new String(error.value(), StandardCharsets.UTF_8));
        }
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertEquals(before, snapshot()));
    }

    @Test
    void aKafkaRecordThatIsNotAnObjectIsSetAsideToo() {
        Snapshot before = snapshot();
        String record = "[\"array-" + System.nanoTime() + "\"]";
        try (KafkaConsumer<String, String> invalid = consumer(router.leadsTopic() + "-invalid")) {
            try (KafkaProducer<String, String> producer = KafkaLeads.producer()) {
                producer.send(new ProducerRecord<>(router.leadsTopic(), record)).get();
            } catch (Exception e) {
                throw new AssertionError("could not produce the record", e);
            }
            AtomicReference<ConsumerRecord<String, String>> found = new AtomicReference<>();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : invalid.poll(Duration.ofMillis(200))) {
                    if (record.equals(r.value())) {
                        found.set(r);
                    }
                }
                return found.get() != null;
            });
            Header error = found.get().headers().lastHeader("leadrouter-error");
            assertNotNull(error);
            assertEquals("lead must be a JSON object, got an array", new String(error.value(), StandardCharsets.UTF_8));
        }
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertEquals(before, snapshot()));
    }

    // ---- helpers ----

    /** What a refused request must leave untouched. */
    private record Snapshot(long leads, long events, int buyerRequests) {
    }

    private static Snapshot snapshot() {
        return new Snapshot(router.count("select count(*) from leads"),
                router.count("select count(*) from recipient_events"), buyer.requestCount());
    }

    private static void assertRefused(String contentType, String body, int status, String problem) {
        Snapshot before = snapshot();

        HttpResponse<String> response = router.post("/leads", contentType, body);

        assertJsonError(response, status, problem);
        // nothing stored at once, and nothing follows later (no event, no delivery)
        assertEquals(before, snapshot());
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertEquals(before, snapshot()));
    }

    private static String padded(String head, String tail, int totalBytes) {
        return head + "x".repeat(totalBytes - head.length() - tail.length()) + tail;
    }

    private static KafkaConsumer<String, String> consumer(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.get().kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "intake-test-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
