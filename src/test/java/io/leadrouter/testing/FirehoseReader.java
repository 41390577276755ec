package io.leadrouter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;

/** Reads the recipient-events firehose of a router under test, as a downstream consumer would. */
public final class FirehoseReader implements AutoCloseable {

    /** One record of the firehose: its key, its value and its headers (the last value of each). */
    public record Record(String key, JsonNode event, Map<String, String> headers) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final List<Record> records = new ArrayList<>();

    public FirehoseReader(String topic) {
        this(SharedServices.get().kafkaBootstrapServers(), topic);
    }

    public FirehoseReader(String bootstrapServers, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "firehose-reader-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(topic));
    }

    /** Waits until the records of this lead number at least {@code count}, and answers them in order. */
    public List<Record> awaitRecordsOf(String leadId, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                records.add(toRecord(record));
            }
            return recordsOf(leadId).size() >= count;
        });
        return recordsOf(leadId);
    }

    /** Waits until the records seen carry at least {@code count} distinct event_ids, and answers every record read, in order. */
    public List<Record> awaitDistinctEvents(int count, Duration atMost) {
        Awaitility.await().atMost(atMost).until(() -> {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                records.add(toRecord(record));
            }
            return records.stream().map(r -> r.event().path("event_id").asText()).distinct().count() >= count;
        });
        return List.copyOf(records);
    }

    private static Record toRecord(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return new Record(record.key(), RouterUnderTest.read(record.value()), headers);
    }

    public List<Record> recordsOf(String leadId) {
        return records.stream().filter(r -> leadId.equals(r.key())).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
