package io.leadrouter.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The seqs of the events retention dropped (event_retention, V13__events_by_day.sql), as sorted,
 * disjoint ranges: a sealed event missing from the table is retired when its seq is among them, and
 * deleted behind the seal's back when it is not.
 */
final class RetiredSeqs {

    private final long[] starts;
    private final long[] ends; // exclusive

    private RetiredSeqs(long[] starts, long[] ends) {
        this.starts = starts;
        this.ends = ends;
    }

    static RetiredSeqs read(Connection connection) throws SQLException {
        List<long[]> ranges = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select lower(r), upper(r) from (select unnest(range_agg(r)) as r
                from event_retention, unnest(seqs) as r) merged order by 1""");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                ranges.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        return new RetiredSeqs(ranges.stream().mapToLong(r -> r[0]).toArray(), ranges.stream().mapToLong(r -> r[1]).toArray());
    }

    boolean contains(long seq) {
        int low = 0;
        int high = starts.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (seq < starts[middle]) {
                high = middle - 1;
            } else if (seq >= ends[middle]) {
                low = middle + 1;
            } else {
                return true;
            }
        }
        return false;
    }
}
