package io.leadrouter.routing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Buyers' suppression lists (table buyer_suppressions): consumers a buyer must never be offered,
 * kept as the hashes de-duplication compares ({@link ConsumerIdentities}), never as values. Added
 * through the API, or kept equal to the buyer's suppression file ({@link SuppressionFiles}).
 */
public final class SuppressionLists {

    private final DataSource dataSource;
    private final OfferReservations reservations;

    public SuppressionLists(DataSource dataSource, OfferReservations reservations) {
        this.dataSource = dataSource;
        this.reservations = reservations;
    }

    /** Adds values by the kind of field they are (email, phone); answers how many were new. */
    public int add(String buyerId, Map<String, List<String>> valuesByField) throws SQLException {
        List<byte[]> identities = new ArrayList<>();
        valuesByField.forEach((field, values) -> values.forEach(value -> identities.add(ConsumerIdentities.of(field, value))));
        try (Connection c = dataSource.getConnection()) {
            return insert(c, buyerId, identities, "api");
        } finally {
            reservations.noteSuppressions(buyerId);
        }
    }

    /** Makes the buyer's list from its file exactly these identities (those added through the API stay); answers how many are new. */
    public int replaceFileList(String buyerId, List<byte[]> identities) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int added = insert(c, buyerId, identities, "file");
                try (PreparedStatement delete = c.prepareStatement(
                        "delete from buyer_suppressions where recipient_id = ? and source = 'file' and not (identity = any(?))")) {
                    delete.setString(1, buyerId);
                    delete.setArray(2, c.createArrayOf("bytea", identities.toArray(new byte[0][])));
                    delete.executeUpdate();
                }
                c.commit();
                return added;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } finally {
            reservations.noteSuppressions(buyerId);
        }
    }

    /** The buyers with a list from a file. */
    public List<String> buyersWithFileLists() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return buyersWithLists(c, true);
        }
    }

    /**
     * The buyers with a list (or with one from a file), read a buyer at a time from an index (a loose
     * index scan): the rules' sweep asks every second, and a list may hold millions of hashes, which a
     * {@code select distinct} would read every time.
     */
    static List<String> buyersWithLists(Connection c, boolean fromFilesOnly) throws SQLException {
        String fromFiles = fromFilesOnly ? " and source = 'file'" : "";
        List<String> buyers = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement("""
                with recursive buyer as (
                    select (select min(recipient_id) from buyer_suppressions where true%1$s) as id
                    union all
                    select (select min(recipient_id) from buyer_suppressions where recipient_id > buyer.id%1$s)
                    from buyer where buyer.id is not null)
                select id from buyer where id is not null""".formatted(fromFiles));
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                buyers.add(rs.getString(1));
            }
        }
        return buyers;
    }

    private static int insert(Connection c, String buyerId, List<byte[]> identities, String source) throws SQLException {
        int added = 0;
        try (PreparedStatement insert = c.prepareStatement(
                "insert into buyer_suppressions (recipient_id, identity, source) values (?, ?, ?) on conflict do nothing")) {
            for (byte[] identity : identities) {
                insert.setString(1, buyerId);
                insert.setBytes(2, identity);
                insert.setString(3, source);
                insert.addBatch();
            }
            for (int inserted : insert.executeBatch()) {
                added += Math.max(inserted, 0);
            }
        }
        return added;
    }
}
