package io.leadrouter.routing;

import io.leadrouter.model.Buyer;
import io.leadrouter.model.RoutingRules.Cap;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** How much of each of a buyer's caps its current periods have used, for GET /buyers. */
public final class CapUsage {

    /** One cap, the period it counts now, and what that period has bought (or has reserved for calls under way). */
    public record Used(Cap cap, Instant periodStart, int leads, BigDecimal amount) {
    }

    private final DataSource dataSource;
    private final Clock clock;

    public CapUsage(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    public List<Used> of(Buyer buyer) throws SQLException {
        List<Used> used = new ArrayList<>();
        if (buyer.rules().caps().isEmpty()) {
            return used;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement(
                        "select leads, amount from cap_usage where recipient_id = ? and period = ? and period_start = ?")) {
            for (Cap cap : buyer.rules().caps()) {
                Instant start = cap.period().start(clock.instant().atZone(buyer.rules().timeZone())).toInstant();
                select.setString(1, buyer.id());
                select.setString(2, cap.period().label());
                select.setTimestamp(3, Timestamp.from(start));
                try (ResultSet rs = select.executeQuery()) {
                    boolean counted = rs.next();
                    used.add(new Used(cap, start, counted ? rs.getInt(1) : 0, counted ? rs.getBigDecimal(2) : BigDecimal.ZERO));
                }
            }
        }
        return used;
    }
}
