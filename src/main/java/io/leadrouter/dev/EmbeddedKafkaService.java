package io.leadrouter.dev;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) running in this JVM.
 * Its log folder is formatted on first use and kept, like a standalone broker's.
 */
public final class EmbeddedKafkaService extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaService.class);

    private final String host;
    private final int requestedPort;
    private final Path logDirectory;
    private KafkaRaftServer server;
    private int port;

    /** @param port the client port, or 0 for any free port */
    public EmbeddedKafkaService(String host, int port, Path logDirectory) {
        this.host = host;
        this.requestedPort = port;
        this.logDirectory = logDirectory;
    }

    @Override
    protected void doStart() throws Exception {
        // a restarted broker comes back where its clients knew it
        port = requestedPort > 0 ? requestedPort : port > 0 ? port : freePort();
        int controllerPort = freePort();
        Files.createDirectories(logDirectory);
        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        config.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", logDirectory.toAbsolutePath().toString());
        config.put("num.partitions", "6");
        config.put("offsets.topic.replication.factor", "1");
        // one broker needs no more: creating the default 50 partitions takes seconds of the first consumer's
        // group join (a folder whose topic already has 50 keeps them: the broker reads the actual count)
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("auto.create.topics.enable", "true");
        KafkaConfig kafkaConfig = new KafkaConfig(config);

        if (!Files.exists(logDirectory.resolve("meta.properties"))) {
            format();
        }
        server = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
        server.startup();
        LOG.info("Embedded Kafka broker listens on {} (logs in {})", bootstrapServers(), logDirectory.toAbsolutePath());
    }

    /** What {@code kafka-storage.sh format} does, once, for a new log folder. */
    private void format() throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(1)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(logDirectory.toAbsolutePath().toString()))
                .setMetadataLogDirectory(logDirectory.toAbsolutePath().toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .run();
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    public String bootstrapServers() {
        return host + ":" + port;
    }

    private int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }
}
