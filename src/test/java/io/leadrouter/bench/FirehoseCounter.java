package io.leadrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the recipient-events firehose from the beginning, as a downstream consumer would, on a
 * thread of its own: every event_id seen, and which of them are terminal events.
 */
final class FirehoseCounter implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final Set<String> eventIds = ConcurrentHashMap.newKeySet();
    private final Set<String> terminalIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile boolean running = true;

    FirehoseCounter(String bootstrapServers, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        consumer = new KafkaConsumer<>(config);
        // all partitions, from the beginning, without a consumer group: nothing to wait for
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "firehose-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    records.incrementAndGet();
                    read(record.value());
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void read(String value) {
        try {
            JsonNode event = JSON.readTree(value);
            String id = event.path("event_id").asText();
            eventIds.add(id);
            if (TerminalEvents.isTerminal(event)) {
                terminalIds.add(id);
            }
        } catch (IOException | RuntimeException e) {
            unreadable.incrementAndGet();
        }
    }

    long records() {
        return records.get();
    }

    int distinctEvents() {
        return eventIds.size();
    }

    int terminalEvents() {
        return terminalIds.size();
    }

    long unreadable() {
        return unreadable.get();
    }

    Set<String> eventIds() {
        return Set.copyOf(eventIds);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
