package io.leadrouter.intake;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.leadrouter.dev.EmbeddedKafkaService;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.KafkaLeads;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.SharedServices;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The Kafka leads topic under hostile records: a record that can never be taken in is parked on
 * {@code <topic>-invalid} exactly once and the partition goes on, so the valid leads behind it on
 * every partition are taken in within seconds; a replaced Kafka cluster (offsets from 0 again,
 * same database) does not make new leads look like old ones.
 */
class HostileKafkaIntakeTest {

    private static final String BUYER = "rcp_Host1leKafkaBuyer";
    /** Partitions of an auto-created topic on the test broker (EmbeddedKafkaService's num.partitions). */
    private static final int PARTITIONS = 6;

    @Test
    void poisonRecordsOnEveryPartitionAreParkedOnceAndTheLeadsBehindThemGoOn() throws Exception {
        try (StubBuyer buyer = StubBuyer.answering(Reply.json(200, ACCEPTED)); RouterUnderTest router = RouterUnderTest.start()) {
            router.installBuyer("kafka.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads")));
            Map<String, byte[]> poison = new HashMap<>();
            List<String> valid = new ArrayList<>();
            try (KafkaProducer<String, byte[]> producer = bytesProducer(SharedServices.get().kafkaBootstrapServers())) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    poison.put("deep-" + partition, utf8("[".repeat(10_000) + "]".repeat(10_000)));
                    poison.put("utf8-" + partition, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'});
                    poison.put("nul-" + partition, utf8("{\"first_name\":\"A\\u0000nn\"}"));
                    poison.put("cost-" + partition, utf8("{\"first_name\":\"Ann\",\"cost\":\"1e99999999\"}"));
                    for (String kind : List.of("deep-", "utf8-", "nul-", "cost-")) {
                        producer.send(new ProducerRecord<>(router.leadsTopic(), partition, kind + partition, poison.get(kind + partition)));
                    }
                    for (int i = 0; i < 2; i++) {
                        String leadId = LeadIds.next();
                        valid.add(leadId);
                        producer.send(new ProducerRecord<>(router.leadsTopic(), partition, leadId,
                                utf8(KafkaLeads.withLeadId(leadId, BuyerFiles.SAMPLE_LEAD))));
                    }
                }
                producer.flush();
            }

            Awaitility.await("the valid leads behind the poison, on every partition").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).until(() -> router.count("select count(*) from leads where source = 'kafka'") == valid.size());
            valid.forEach(router::awaitCompleted);
            for (String leadId : valid) {
                assertEquals(1, RouterUnderTest.count(router.events(leadId), "recipient.delivered"), leadId);
            }

            Map<String, List<ConsumerRecord<String, byte[]>>> parked = new HashMap<>();
            try (KafkaConsumer<String, byte[]> invalid = bytesConsumer(router.leadsTopic() + "-invalid")) {
                Awaitility.await("every poison record parked").atMost(Duration.ofSeconds(30)).until(() -> {
                    invalid.poll(Duration.ofMillis(200)).forEach(r -> parked.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
                    return parked.keySet().containsAll(poison.keySet());
                });
                // and no record parked twice, however long one looks
                Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
                    invalid.poll(Duration.ofMillis(200)).forEach(r -> parked.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
                    return parked.values().stream().allMatch(records -> records.size() == 1);
                });
            }
            assertEquals(poison.keySet(), parked.keySet());
            for (Map.Entry<String, byte[]> record : poison.entrySet()) {
                ConsumerRecord<String, byte[]> found = parked.get(record.getKey()).get(0);
                assertEquals(new String(record.getValue(), StandardCharsets.ISO_8859_1), new String(found.value(), StandardCharsets.ISO_8859_1),
                        "parked exactly as it came: " + record.getKey());
                Header error = found.headers().lastHeader("leadrouter-error");
                assertNotNull(error, record.getKey());
                assertEquals(expectedProblem(record.getKey()), new String(error.value(), StandardCharsets.UTF_8), record.getKey());
            }
        }
    }

    @Test
    void aReplacedKafkaClusterDoesNotMakeNewLeadsLookLikeOldOnes() throws Exception {
        try (StubBuyer buyer = StubBuyer.answering(Reply.json(200, ACCEPTED))) {
            String firstLead = "{\"first_name\":\"First\",\"state\":\"tx\"}";
            String secondLead = "{\"first_name\":\"Second\",\"state\":\"tx\"}";
            String jdbcUrl = SharedServices.get().newDatabase();
            String topic = "leads-reset-" + System.nanoTime();

            EmbeddedKafkaService oldCluster = startBroker();
            try (RouterUnderTest router = onCluster(oldCluster, jdbcUrl, topic)) {
                router.installBuyer("kafka.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads")));
                produce(oldCluster, topic, firstLead);
                awaitLeadNamed(router, "First");
            } finally {
                oldCluster.stop();
            }

            EmbeddedKafkaService newCluster = startBroker();
            try (RouterUnderTest router = onCluster(newCluster, jdbcUrl, topic)) {
                router.installBuyer("kafka.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads")));
                produce(newCluster, topic, secondLead); // partition 0, offset 0 again: the same coordinates as the first
                String leadId = awaitLeadNamed(router, "Second");
                router.awaitCompleted(leadId);
                assertEquals(1, RouterUnderTest.count(router.events(leadId), "recipient.delivered"));
                assertEquals(2, router.count("select count(*) from leads"));
            } finally {
                newCluster.stop();
            }
        }
    }

    // ---- helpers ----

    private static String expectedProblem(String key) {
        String kind = key.substring(0, key.indexOf('-'));
        return switch (kind) {
            case "deep" -> "lead is over a limit: Document nesting depth (33) exceeds the maximum allowed (32, leadrouter.intake.max-depth)";
            case "utf8" -> "body is not valid UTF-8: bad byte sequence at byte 6";
            case "nul" -> "first_name: text must not contain the character \\u0000";
            case "cost" -> "cost: must be at most 1000000 (cost must be an amount from 0 to 1000000 with at most 4 decimals)";
            default -> throw new IllegalArgumentException(key);
        };
    }

    private static EmbeddedKafkaService startBroker() throws Exception {
        EmbeddedKafkaService broker = new EmbeddedKafkaService("127.0.0.1", 0, Files.createTempDirectory("kafka-cluster"));
        broker.start();
        return broker;
    }

    private static RouterUnderTest onCluster(EmbeddedKafkaService broker, String jdbcUrl, String topic) throws Exception {
        return RouterUnderTest.builder()
                .database(jdbcUrl)
                .property("leadrouter.kafka.bootstrap-servers", broker.bootstrapServers())
                .property("leadrouter.intake.kafka-topic", topic)
                .start();
    }

    private static String awaitLeadNamed(RouterUnderTest router, String firstName) {
        Awaitility.await("lead " + firstName + " stored").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> router.count("select count(*) from leads where payload->>'first_name' = '" + firstName + "'") == 1);
        try (var connection = router.connect(); var select = connection.prepareStatement(
                "select lead_id from leads where payload->>'first_name' = ?")) {
            select.setString(1, firstName);
            try (var rs = select.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void produce(EmbeddedKafkaService broker, String topic, String lead) throws Exception {
        try (KafkaProducer<String, byte[]> producer = bytesProducer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, 0, null, utf8(lead))).get();
        }
    }

    private static KafkaProducer<String, byte[]> bytesProducer(String bootstrapServers) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    private static KafkaConsumer<String, byte[]> bytesConsumer(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.get().kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "hostile-kafka-test-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
