package io.leadrouter.circuit;

import io.leadrouter.routing.InstancePresence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The shared state of the buyers' circuits (table buyer_circuits). Every change is one
 * conditional statement, so that with several instances a circuit opens once, is probed by one
 * instance at a time, and closes once.
 */
final class CircuitStore {

    /** One buyer's circuit as stored. */
    record Row(String buyerId, CircuitState state, Instant openedAt, Duration coolDown, Instant probeAt, String probeBy,
            String reason, Instant changedAt) {
    }

    private final DataSource dataSource;

    CircuitStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Map<String, Row> all() throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        select recipient_id, state, opened_at, cool_down_ms, probe_at, probe_by, reason, changed_at
                        from buyer_circuits""");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), new Row(rs.getString(1), CircuitState.of(rs.getString(2)), instant(rs.getTimestamp(3)),
                        Duration.ofMillis(rs.getLong(4)), instant(rs.getTimestamp(5)), rs.getString(6), rs.getString(7),
                        instant(rs.getTimestamp(8))));
            }
        }
        return rows;
    }

    /** Opens a closed circuit (or one never stored); false when it was open, probing or paused already. */
    boolean open(String buyerId, Duration coolDown, String reason) throws SQLException {
        return update("""
                insert into buyer_circuits (recipient_id, state, opened_at, cool_down_ms, probe_at, reason)
                values (?, 'open', now(), ?, now() + ? * interval '1 millisecond', ?)
                on conflict (recipient_id) do update
                    set state = 'open', opened_at = now(), cool_down_ms = excluded.cool_down_ms, probe_at = excluded.probe_at,
                        probe_by = null, reason = excluded.reason, changed_at = now()
                    where buyer_circuits.state = 'closed'""", buyerId, coolDown.toMillis(), coolDown.toMillis(), reason) == 1;
    }

    /** This instance becomes the prober of an open circuit whose cool-down is over; false when another got it first. */
    boolean startProbe(String buyerId, String instanceId) throws SQLException {
        return update("""
                update buyer_circuits set state = 'probing', probe_by = ?, changed_at = now()
                where recipient_id = ? and state = 'open' and probe_at <= now()""", instanceId, buyerId) == 1;
    }

    /** The probe was answered: closed, and the cool-down back to its first length. */
    boolean close(String buyerId, String instanceId, Duration firstCoolDown, String reason) throws SQLException {
        return update("""
                update buyer_circuits set state = 'closed', opened_at = null, probe_at = null, probe_by = null,
                       cool_down_ms = ?, reason = ?, changed_at = now()
                where recipient_id = ? and state = 'probing' and probe_by = ?""", firstCoolDown.toMillis(), reason, buyerId, instanceId) == 1;
    }

    /** The probe failed: open again, with the cool-down given (the last one doubled). */
    boolean reopen(String buyerId, String instanceId, Duration coolDown, String reason) throws SQLException {
        return update("""
                update buyer_circuits set state = 'open', cool_down_ms = ?, probe_at = now() + ? * interval '1 millisecond',
                       probe_by = null, reason = ?, changed_at = now()
                where recipient_id = ? and state = 'probing' and probe_by = ?""",
                coolDown.toMillis(), coolDown.toMillis(), reason, buyerId, instanceId) == 1;
    }

    void pause(String buyerId, Duration firstCoolDown, String reason) throws SQLException {
        update("""
                insert into buyer_circuits (recipient_id, state, cool_down_ms, reason) values (?, 'paused', ?, ?)
                on conflict (recipient_id) do update
                    set state = 'paused', probe_at = null, probe_by = null, reason = excluded.reason, changed_at = now()""",
                buyerId, firstCoolDown.toMillis(), reason);
    }

    /** Closes a held circuit (paused, open or probing); false when it was closed already. */
    boolean resume(String buyerId, Duration firstCoolDown, String reason) throws SQLException {
        return update("""
                update buyer_circuits set state = 'closed', opened_at = null, probe_at = null, probe_by = null,
                       cool_down_ms = ?, reason = ?, changed_at = now()
                where recipient_id = ? and state <> 'closed'""", firstCoolDown.toMillis(), reason, buyerId) == 1;
    }

    /**
     * Probes left by instances that are gone (crashed or stopped mid-probe) are given back: the
     * circuit is open again with its probe due now. Answers the buyers concerned.
     */
    List<String> takeBackAbandonedProbes(String instanceId) throws SQLException {
        List<String> buyers = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            Map<String, String> probing = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "select recipient_id, probe_by from buyer_circuits where state = 'probing' and probe_by <> ?")) {
                select.setString(1, instanceId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        probing.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            for (Map.Entry<String, String> probe : probing.entrySet()) {
                if (InstancePresence.isGone(connection, probe.getValue())) {
                    try (PreparedStatement reset = connection.prepareStatement("""
                            update buyer_circuits set state = 'open', probe_at = now(), probe_by = null, changed_at = now()
                            where recipient_id = ? and state = 'probing' and probe_by = ?""")) {
                        reset.setString(1, probe.getKey());
                        reset.setString(2, probe.getValue());
                        if (reset.executeUpdate() == 1) {
                            buyers.add(probe.getKey());
                        }
                    }
                }
            }
        }
        return buyers;
    }

    private int update(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
