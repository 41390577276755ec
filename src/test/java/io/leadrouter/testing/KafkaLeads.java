package io.leadrouter.testing;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.awaitility.Awaitility;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** Leads put on the Kafka leads topic, as an upstream system would. */
public final class KafkaLeads {

    private KafkaLeads() {
    }

    /** A producer to the shared test broker. */
    public static KafkaProducer<String, String> producer() {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.get().kafkaBootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    /** Waits until {@code members} consumers of the group each have some partitions of the leads topic. */
    public static void awaitGroupSpread(String group, int members) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.get().kafkaBootstrapServers());
        try (Admin admin = Admin.create(config)) {
            Awaitility.await("consumer group " + group + " spread over " + members).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                                .get(10, TimeUnit.SECONDS).get(group);
                        return description.members().size() == members
                                && description.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
                    });
        }
    }

    /** The lead JSON with a lead_id of the sender's choosing as its first field. */
    public static String withLeadId(String leadId, String lead) {
        return lead.replaceFirst("\\{", "{\"lead_id\":\"" + leadId + "\",");
    }
}
