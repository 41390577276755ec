package io.leadrouter.security;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.support.service.ServiceSupport;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys in force, in memory, so that authenticating a request costs a hash and a map lookup,
 * not a database round trip. It hears of every change to the table at once (PostgreSQL's
 * {@code LISTEN api_keys}, notified by the table's trigger, whichever instance made the change) and
 * reads the keys again; a key revoked anywhere is refused here from the next request on. When the
 * listening session is lost, the keys are read again once a new one listens (a change may have
 * been missed meanwhile). The keys' last use is written back every few seconds by the same thread.
 */
public final class KeyRing extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRing.class);
    private static final int WAIT_MS = 1000;
    private static final long RECORD_USE_EVERY_MS = 5000;

    private final DataSource dataSource;
    private final ApiKeyStore store;
    private volatile Map<String, ApiKeyStore.Active> byPrefix = Map.of();
    private final Map<String, Instant> unrecordedUse = new ConcurrentHashMap<>();
    private volatile Thread listener;
    private volatile boolean running;

    public KeyRing(DataSource dataSource, ApiKeyStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    /** The caller a presented key stands for; empty for anything that is not a key in force. */
    public Optional<Caller> authenticate(String presented) {
        Optional<String> prefix = ApiKeySecrets.prefixOf(presented);
        if (prefix.isEmpty()) {
            return Optional.empty();
        }
        ApiKeyStore.Active key = byPrefix.get(prefix.get());
        if (key == null || !ApiKeySecrets.matches(presented, key.sha256())) {
            return Optional.empty();
        }
        unrecordedUse.put(key.caller().keyId(), Instant.now());
        return Optional.of(key.caller());
    }

    /** Reads the keys now (after this instance changed them, so that its next request sees the change). */
    public void reload() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            load(connection);
        }
    }

    @Override
    protected void doStart() throws SQLException {
        reload();
        running = true;
        listener = new Thread(this::listen, "api-key-listener");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        running = false;
        Thread thread = listener;
        if (thread != null) {
            thread.interrupt();
            thread.join(5000);
        }
    }

    private void load(Connection connection) throws SQLException {
        List<ApiKeyStore.Active> keys = store.active(connection);
        Map<String, ApiKeyStore.Active> loaded = new HashMap<>();
        keys.forEach(key -> loaded.put(key.prefix(), key));
        byPrefix = Map.copyOf(loaded);
    }

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement listen = connection.createStatement()) {
                    listen.execute("listen api_keys");
                }
                load(connection);
                PGConnection notifications = connection.unwrap(PGConnection.class);
                long nextRecord = System.currentTimeMillis() + RECORD_USE_EVERY_MS;
                while (running) {
                    var changes = notifications.getNotifications(WAIT_MS);
                    if (changes != null && changes.length > 0) {
                        load(connection);
                    }
                    if (System.currentTimeMillis() >= nextRecord) {
                        recordUse(connection);
                        nextRecord = System.currentTimeMillis() + RECORD_USE_EVERY_MS;
                    }
                }
                recordUse(connection);
            } catch (SQLException e) {
                if (running) {
                    LOG.warn("Lost the database session that hears of API key changes ({}); listening again in {} ms",
                            e.getMessage(), WAIT_MS);
                    pause();
                }
            }
        }
    }

    private void recordUse(Connection connection) throws SQLException {
        if (unrecordedUse.isEmpty()) {
            return;
        }
        Map<String, Instant> uses = new HashMap<>();
        for (String keyId : List.copyOf(unrecordedUse.keySet())) {
            Instant at = unrecordedUse.remove(keyId);
            if (at != null) {
                uses.put(keyId, at);
            }
        }
        store.recordUse(connection, uses);
    }

    private void pause() {
        try {
            Thread.sleep(WAIT_MS); // a back-off between reconnects, not a wait for other work
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
