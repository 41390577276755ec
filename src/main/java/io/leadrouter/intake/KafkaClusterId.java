package io.leadrouter.intake;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The id of the Kafka cluster the leads topic lives on, asked once (when the first record arrives,
 * so a router starts while the broker is away). Part of the ids derived for leads without one: a
 * replaced cluster starts its offsets at 0 again, and its leads must not be taken for the old ones.
 */
public final class KafkaClusterId implements Supplier<String> {

    private final String bootstrapServers;
    private volatile String clusterId;

    public KafkaClusterId(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** @throws IllegalStateException when the cluster does not answer (transient: the record is read again) */
    @Override
    public String get() {
        String known = clusterId;
        if (known != null) {
            return known;
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            clusterId = admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
            return clusterId;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the Kafka cluster id could not be read: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the Kafka cluster id", e);
        }
    }
}
