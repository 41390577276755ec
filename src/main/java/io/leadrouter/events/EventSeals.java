package io.leadrouter.events;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code recipient_events} tamper-evident without serialising event writes: every so often a
 * checkpoint seals the events added since the previous one (see V6__event_checkpoints.sql), chained
 * to it; {@link #verify} recomputes the chain from the rows as they are and names the first event
 * that is not as sealed. A checkpoint covers seqs up to the sequence's value read one round earlier,
 * once every transaction that was running a round after that has ended: by then each of those seqs
 * is committed or will never exist (a rolled-back insert leaves a gap, sealed as a gap).
 */
public final class EventSeals {

    private static final Logger LOG = LoggerFactory.getLogger(EventSeals.class);
    private static final int SEAL_BYTES = 8 + 16;
    /** Only one instance seals at a time: the others find the lock taken and wait for their next round. */
    private static final long LOCK = 0x6576656e74L; // "event"

    private final DataSource dataSource;
    /** The round's state on this instance: the seq to seal up to, and the transactions to wait for. */
    private Long pendingSeq;
    private Long pendingXmax;

    public EventSeals(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * What verification found.
     *
     * @param eventsRetired sealed events that retention dropped with their day (recorded in event_retention)
     */
    public record Report(boolean intact, int checkpoints, long eventsSealed, long eventsRetired, long eventsNotYetSealed,
            String firstProblem) {
    }

    /** One round: seals what the previous rounds made safe to seal; answers the checkpoint made, if any. */
    public synchronized Optional<Long> round() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (pendingSeq != null && pendingXmax != null && allEndedBefore(connection, pendingXmax)) {
                Optional<Long> sealed = seal(connection, pendingSeq);
                pendingSeq = null;
                pendingXmax = null;
                return sealed;
            }
            if (pendingSeq != null && pendingXmax == null) {
                // a transaction that took a seq before pendingSeq was read has its id by now: wait for those running now
                pendingXmax = single(connection, "select pg_snapshot_xmax(pg_current_snapshot())::text::bigint");
            } else if (pendingSeq == null) {
                pendingSeq = single(connection, "select case when is_called then last_value else 0 end from recipient_events_seq_seq");
            }
            return Optional.empty();
        }
    }

    private static boolean allEndedBefore(Connection connection, long xmax) throws SQLException {
        return single(connection, "select pg_snapshot_xmin(pg_current_snapshot())::text::bigint") >= xmax;
    }

    private Optional<Long> seal(Connection connection, long upTo) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
                lock.setLong(1, LOCK);
                try (ResultSet rs = lock.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        connection.rollback();
                        return Optional.empty();
                    }
                }
            }
            long from = Long.MIN_VALUE; // the first checkpoint covers every seq up to its own: none can hide below it
            byte[] previous = null;
            try (PreparedStatement last = connection.prepareStatement(
                    "select last_seq, digest from event_checkpoints order by id desc limit 1");
                    ResultSet rs = last.executeQuery()) {
                if (rs.next()) {
                    from = rs.getLong(1);
                    previous = rs.getBytes(2);
                }
            }
            if (upTo <= from) {
                connection.rollback();
                return Optional.empty();
            }
            byte[] seals = seals(connection, from, upTo);
            if (seals.length == 0) {
                connection.rollback();
                return Optional.empty();
            }
            byte[] digest = digest(previous, seals);
            long id;
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into event_checkpoints (first_seq, last_seq, events, seals, digest, previous_digest)
                    values (?, ?, ?, ?, ?, ?) returning id""")) {
                insert.setLong(1, ByteBuffer.wrap(seals).getLong(0));
                insert.setLong(2, upTo);
                insert.setInt(3, seals.length / SEAL_BYTES);
                insert.setBytes(4, seals);
                insert.setBytes(5, digest);
                insert.setBytes(6, previous);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            connection.commit();
            LOG.info("Event checkpoint {}: {} events up to seq {} sealed, digest {}", id, seals.length / SEAL_BYTES, upTo,
                    HexFormat.of().formatHex(digest));
            return Optional.of(id);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * Recomputes every checkpoint from the events as they are now. An event missing from the table is
     * retired, not deleted, when retention recorded its seq among a dropped day's.
     */
    public Report verify() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement checkpoints = connection.prepareStatement(
                        "select id, last_seq, seals, digest, previous_digest from event_checkpoints order by id");
                ResultSet rs = checkpoints.executeQuery()) {
            RetiredSeqs retiredSeqs = RetiredSeqs.read(connection);
            long[] retired = {0};
            long from = Long.MIN_VALUE;
            byte[] previous = null;
            int count = 0;
            long sealed = 0;
            while (rs.next()) {
                count++;
                long id = rs.getLong(1);
                long upTo = rs.getLong(2);
                byte[] stored = rs.getBytes(3);
                if (!MessageDigest.isEqual(previous, rs.getBytes(5)) || !MessageDigest.isEqual(rs.getBytes(4), digest(previous, stored))) {
                    return new Report(false, count, sealed, retired[0], -1, "checkpoint " + id + " does not follow from the one before it");
                }
                Optional<String> problem = firstDifference(stored, seals(connection, from, upTo), connection, retiredSeqs, retired);
                if (problem.isPresent()) {
                    return new Report(false, count, sealed, retired[0], -1, problem.get() + " (checkpoint " + id + ")");
                }
                sealed += stored.length / SEAL_BYTES;
                from = upTo;
                previous = rs.getBytes(4);
            }
            long after;
            try (PreparedStatement rest = connection.prepareStatement("select count(*) from recipient_events where seq > ?")) {
                rest.setLong(1, from);
                try (ResultSet r = rest.executeQuery()) {
                    r.next();
                    after = r.getLong(1);
                }
            }
            return new Report(true, count, sealed, retired[0], after, null);
        }
    }

    /** @param retired counts the sealed events found retired (its one element) */
    private static Optional<String> firstDifference(byte[] stored, byte[] now, Connection connection, RetiredSeqs retiredSeqs,
            long[] retired) throws SQLException {
        ByteBuffer a = ByteBuffer.wrap(stored);
        ByteBuffer b = ByteBuffer.wrap(now);
        while (a.remaining() >= SEAL_BYTES || b.remaining() >= SEAL_BYTES) {
            long seqA = a.remaining() >= SEAL_BYTES ? a.getLong(a.position()) : Long.MAX_VALUE;
            long seqB = b.remaining() >= SEAL_BYTES ? b.getLong(b.position()) : Long.MAX_VALUE;
            if (seqA < seqB && retiredSeqs.contains(seqA)) {
                a.position(a.position() + SEAL_BYTES);
                retired[0]++;
                continue;
            }
            if (seqA < seqB) {
                return Optional.of("event seq " + seqA + " was deleted");
            }
            if (seqB < seqA) {
                return Optional.of("event seq " + seqB + " (" + eventId(connection, seqB) + ") was added after it was sealed");
            }
            byte[] hashA = new byte[16];
            byte[] hashB = new byte[16];
            a.position(a.position() + 8).get(hashA);
            b.position(b.position() + 8).get(hashB);
            if (!MessageDigest.isEqual(hashA, hashB)) {
                return Optional.of("event seq " + seqA + " (" + eventId(connection, seqA) + ") was changed");
            }
        }
        return Optional.empty();
    }

    /** Each event in (from, upTo], in seq order: its seq and the MD5 of its stored JSON. */
    private static byte[] seals(Connection connection, long from, long upTo) throws SQLException {
        ByteArrayOutputStream seals = new ByteArrayOutputStream();
        try (PreparedStatement select = connection.prepareStatement(
                "select seq, decode(md5(event::text), 'hex') from recipient_events where seq > ? and seq <= ? order by seq")) {
            select.setFetchSize(5000);
            select.setLong(1, from);
            select.setLong(2, upTo);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    seals.writeBytes(ByteBuffer.allocate(8).putLong(rs.getLong(1)).array());
                    seals.writeBytes(rs.getBytes(2));
                }
            }
        }
        return seals.toByteArray();
    }

    private static byte[] digest(byte[] previous, byte[] seals) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            if (previous != null) {
                sha.update(previous);
            }
            return sha.digest(seals);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String eventId(Connection connection, long seq) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select event_id::text from recipient_events where seq = ?")) {
            select.setLong(1, seq);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? "event_id " + rs.getString(1) : "gone";
            }
        }
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
