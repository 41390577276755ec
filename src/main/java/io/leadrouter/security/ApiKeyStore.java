package io.leadrouter.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code api_keys} table: keys made, listed, revoked; their last use recorded. */
public final class ApiKeyStore {

    private static final String COLUMNS = "id, prefix, role, recipient_id, name, created_at, last_used_at, revoked_at";

    private final DataSource dataSource;

    public ApiKeyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A key in force, as the key ring holds it. */
    record Active(String prefix, byte[] sha256, Caller caller) {
    }

    /**
     * Makes a key.
     *
     * @throws IllegalArgumentException a buyer key without its buyer, or a buyer named for another role
     */
    public ApiKey.Issued create(Role role, String recipientId, String name) throws SQLException {
        if ((role == Role.BUYER) != (recipientId != null)) {
            throw new IllegalArgumentException(role == Role.BUYER
                    ? "a buyer key needs the recipient_id of its buyer"
                    : "recipient_id is only for buyer keys, not " + role.id());
        }
        try (Connection connection = dataSource.getConnection()) {
            return insert(connection, role, recipientId, name == null ? "" : name);
        }
    }

    /**
     * The first admin key, made only if the table holds no key in force: several instances starting
     * at once on an empty database make one between them.
     */
    public Optional<ApiKey.Issued> createFirstAdmin() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement lock = connection.createStatement()) {
                lock.execute("lock table api_keys in share row exclusive mode");
                try (ResultSet rs = lock.executeQuery("select exists (select 1 from api_keys where revoked_at is null)")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        connection.rollback();
                        return Optional.empty();
                    }
                }
                ApiKey.Issued issued = insert(connection, Role.ADMIN, null, "made at first start");
                connection.commit();
                return Optional.of(issued);
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static ApiKey.Issued insert(Connection connection, Role role, String recipientId, String name) throws SQLException {
        String key = ApiKeySecrets.newKey();
        String prefix = ApiKeySecrets.prefixOf(key).orElseThrow();
        try (PreparedStatement insert = connection.prepareStatement(
                "insert into api_keys (id, prefix, key_sha256, role, recipient_id, name) values (?, ?, ?, ?, ?, ?) returning " + COLUMNS)) {
            insert.setString(1, "key_" + prefix);
            insert.setString(2, prefix);
            insert.setBytes(3, ApiKeySecrets.sha256(key));
            insert.setString(4, role.id());
            insert.setString(5, recipientId);
            insert.setString(6, name);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return new ApiKey.Issued(key, read(rs));
            }
        }
    }

    /** Every key, in force or revoked, newest first. */
    public List<ApiKey> list() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("select " + COLUMNS + " from api_keys order by created_at desc, id");
                ResultSet rs = select.executeQuery()) {
            List<ApiKey> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(read(rs));
            }
            return keys;
        }
    }

    /** @return the key as it is now revoked; empty if there is no such key or it was revoked already */
    public Optional<ApiKey> revoke(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "update api_keys set revoked_at = now() where id = ? and revoked_at is null returning " + COLUMNS)) {
            update.setString(1, id);
            try (ResultSet rs = update.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    List<Active> active(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select id, prefix, key_sha256, role, recipient_id from api_keys where revoked_at is null");
                ResultSet rs = select.executeQuery()) {
            List<Active> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(new Active(rs.getString(2), rs.getBytes(3),
                        new Caller(rs.getString(1), Role.of(rs.getString(4)), rs.getString(5))));
            }
            return keys;
        }
    }

    /** Records when keys were last used; a later time never goes back. */
    void recordUse(Connection connection, Map<String, Instant> lastUse) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "update api_keys set last_used_at = greatest(coalesce(last_used_at, ?), ?) where id = ?")) {
            for (Map.Entry<String, Instant> use : lastUse.entrySet()) {
                Timestamp at = Timestamp.from(use.getValue());
                update.setTimestamp(1, at);
                update.setTimestamp(2, at);
                update.setString(3, use.getKey());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static ApiKey read(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString(1), rs.getString(2), Role.of(rs.getString(3)), rs.getString(4), rs.getString(5),
                instant(rs.getTimestamp(6)), instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
