package io.leadrouter.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultMessage;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the firehose from the outbox ({@code firehose_outbox}, filled by the database in the
 * same transaction as each event): reads the oldest waiting events, sends them to Kafka as one
 * batch (key lead_id, value the event JSON as stored, headers event_type, recipient_id, lead_id
 * and content-type), and deletes them from the outbox once Kafka
 * has acknowledged every one. While Kafka is down the events wait in the outbox, and the relay
 * catches up by itself when it returns, in order and with their original event_ids. An event may
 * reach the topic twice (acknowledged, then the router stopped before the delete): consumers
 * de-duplicate by event_id.
 *
 * <p>One relay publishes at a time across all router instances sharing the database: the one
 * holding a PostgreSQL advisory lock on its own connection. If that instance dies, its connection
 * and so its lock go with it, and another instance's relay takes over.
 */
public final class FirehoseRelay extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(FirehoseRelay.class);
    /** The advisory lock of the firehose relay ("firehose" in ASCII). */
    private static final long LEADER_LOCK = 0x66697265686f7365L;
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    private static final String NEXT_BATCH = """
            select o.id, e.lead_id, e.event::text, e.event_type, e.recipient_id
            from firehose_outbox o join recipient_events e on e.seq = o.event_seq
            order by o.id limit ?""";

    private final DataSource dataSource;
    private final CamelContext context;
    private final String kafkaUri;
    private final int maxBatch;
    private final Duration idlePoll;
    private final Duration stopGrace;
    private final Semaphore wakeUps = new Semaphore(0);
    private ProducerTemplate producer;
    private ExecutorService thread;
    private volatile boolean running;
    private Connection leaderConnection;
    private boolean paused;

    /**
     * @param kafkaUri  the camel-kafka endpoint of the firehose topic
     * @param idlePoll  how often an idle relay looks at the outbox (events written by other instances)
     * @param stopGrace how long a stopping relay keeps publishing what is left
     */
    public FirehoseRelay(DataSource dataSource, CamelContext context, String kafkaUri, int maxBatch, Duration idlePoll,
            Duration stopGrace) {
        this.dataSource = dataSource;
        this.context = context;
        this.kafkaUri = kafkaUri;
        this.maxBatch = maxBatch;
        this.idlePoll = idlePoll;
        this.stopGrace = stopGrace;
    }

    /**
     * The firehose's camel-kafka endpoint: every record acknowledged by all in-sync replicas, in
     * order even when the client retries (idempotent producer), and a broker that is away noticed
     * within seconds rather than the client's default minutes. Each record of a batch carries its
     * own headers (by default camel-kafka would give every record the batch's headers).
     */
    public static String kafkaUri(String topic) {
        return "kafka:" + topic + "?requestRequiredAcks=all&enableIdempotence=true&maxInFlightRequest=5"
                + "&maxBlockMs=5000&requestTimeoutMs=5000&deliveryTimeoutMs=10000&batchWithIndividualHeaders=true";
    }

    /** New events are in the outbox: publish them now rather than at the next poll. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    @Override
    protected void doStart() {
        producer = context.createProducerTemplate();
        running = true;
        thread = context.getExecutorServiceManager().newSingleThreadExecutor(this, "firehose-relay");
        thread.execute(this::run);
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        wakeUp();
        // shutdown, not shutdownNow: the relay ends by itself once the outbox is empty or stopGrace is over
        context.getExecutorServiceManager().shutdown(thread);
        context.getExecutorServiceManager().awaitTermination(thread, stopGrace.toMillis() + 5_000);
        releaseLeadership();
        producer.stop();
    }

    private void run() {
        long stopBy = Long.MAX_VALUE;
        while (true) {
            if (!running && stopBy == Long.MAX_VALUE) {
                stopBy = System.nanoTime() + stopGrace.toNanos();
            }
            if (System.nanoTime() > stopBy) {
                return;
            }
            int published = 0;
            try {
                published = leader() ? publishBatch() : 0;
            } catch (Exception e) {
                pause(e);
                if (!running) {
                    return; // stopping, and Kafka or the database is away: what is left waits in the outbox
                }
            }
            if (!running && published == 0) {
                return; // the outbox is empty (or another instance publishes it)
            }
            if (published < maxBatch) {
                sleepUntilWoken(idlePoll);
            }
        }
    }

    /** Publishes the oldest waiting events; returns how many. */
    private int publishBatch() throws SQLException {
        List<Long> ids = new ArrayList<>(maxBatch);
        List<Message> records = new ArrayList<>(maxBatch);
        try (PreparedStatement select = leaderConnection.prepareStatement(NEXT_BATCH)) {
            select.setInt(1, maxBatch);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    records.add(record(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        // The first record alone, then the rest. Sent together while Kafka is away, each record waits up to
        // maxBlockMs for the topic's metadata and fails in turn; if the broker came back meanwhile, a lead's
        // later event would land before its earlier one (which goes again with the retried batch). Once
        // the first is acknowledged the broker is there, and the rest go in order (idempotent producer).
        send(records.subList(0, 1));
        if (records.size() > 1) {
            send(records.subList(1, records.size()));
        }
        try (PreparedStatement delete = leaderConnection.prepareStatement("delete from firehose_outbox where id = any(?)")) {
            delete.setArray(1, leaderConnection.createArrayOf("bigint", ids.toArray()));
            delete.executeUpdate();
        }
        if (paused) {
            LOG.info("Firehose resumed");
            paused = false;
        }
        return ids.size();
    }

    private void send(List<Message> records) {
        Exchange sent = producer.send(kafkaUri, exchange -> exchange.getMessage().setBody(List.copyOf(records)));
        if (sent.getException() != null) {
            throw new FirehoseUnavailableException(records.size(), sent.getException());
        }
    }

    /** One Kafka record: its headers let consumers filter by event type, buyer or lead without parsing the value. */
    private Message record(String leadId, String eventJson, String eventType, String recipientId) {
        Message record = new DefaultMessage(context);
        record.setHeader("kafka.KEY", leadId);
        record.setHeader("event_type", eventType);
        if (recipientId != null) {
            record.setHeader("recipient_id", recipientId);
        }
        record.setHeader("lead_id", leadId);
        record.setHeader("content-type", "application/json");
        record.setBody(eventJson);
        return record;
    }

    /** Whether this instance publishes the firehose now (taking the lock if it is free). */
    private boolean leader() throws SQLException {
        if (leaderConnection != null) {
            return true;
        }
        Connection connection = dataSource.getConnection();
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
            lock.setLong(1, LEADER_LOCK);
            try (ResultSet rs = lock.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    leaderConnection = connection;
                    LOG.info("This instance publishes the firehose");
                    return true;
                }
            }
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        connection.close();
        return false;
    }

    private void releaseLeadership() {
        if (leaderConnection != null) {
            try (PreparedStatement unlock = leaderConnection.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, LEADER_LOCK);
                unlock.execute();
            } catch (SQLException e) {
                // the connection is gone, and the lock with it
            }
            try {
                leaderConnection.close();
            } catch (SQLException e) {
                LOG.debug("closing the relay's connection: {}", e.getMessage());
            }
            leaderConnection = null;
        }
    }

    /** Kafka or the database is away: say so once per outage, back off, and start over. */
    private void pause(Exception e) {
        if (!paused) {
            LOG.warn("Firehose paused, events wait in the outbox until it can go on: {}", e.getMessage());
            paused = true;
        }
        if (e instanceof SQLException) {
            releaseLeadership(); // the connection may be broken; take the lock again on a fresh one
        }
        // new events do not cut the back-off short; only a stop does
        long until = System.nanoTime() + RETRY_AFTER.toNanos();
        while (running && System.nanoTime() < until) {
            sleepUntilWoken(Duration.ofNanos(until - System.nanoTime()));
        }
    }

    private void sleepUntilWoken(Duration atMost) {
        try {
            if (wakeUps.tryAcquire(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                wakeUps.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Kafka did not acknowledge a batch. */
    static final class FirehoseUnavailableException extends RuntimeException {
        FirehoseUnavailableException(int events, Exception cause) {
            super(events + " event(s) not acknowledged by Kafka: " + cause.getMessage(), cause);
        }
    }
}
