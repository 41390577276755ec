package io.leadrouter.routing;

import io.leadrouter.model.Buyer;
import io.leadrouter.model.RoutingRules.Cap;
import io.leadrouter.model.RoutingRules.Period;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A buyer's caps, counted in table cap_usage: one row per buyer, period and period start, moved by a
 * conditional upsert. PostgreSQL locks the row and re-checks the condition on its latest version, so
 * instances reserving at once never pass a cap; every reservation locks its periods in the same order
 * (hour, day, week, month), so two never wait for each other.
 */
final class CapCounters {

    private static final BigDecimal NO_BUDGET = new BigDecimal("1e30");

    /**
     * Reserves a slot in every period the buyer caps, or none. On the caller's transaction; a refusal
     * leaves rows changed that the caller must roll back.
     */
    Optional<RuleRefusal> reserve(Connection c, Buyer buyer, String leadId, Instant now, String instanceId) throws SQLException {
        Map<Period, List<Cap>> byPeriod = new EnumMap<>(Period.class);
        buyer.rules().caps().forEach(cap -> byPeriod.computeIfAbsent(cap.period(), p -> new ArrayList<>()).add(cap));
        ZonedDateTime local = now.atZone(buyer.rules().timeZone());
        BigDecimal price = buyer.price();
        for (List<Cap> caps : byPeriod.values()) {
            for (Cap cap : caps) {
                if (cap.isBudget() ? price.compareTo(cap.amount()) > 0 : cap.leads() < 1) {
                    return Optional.of(refusal(cap));
                }
            }
        }
        List<String> periods = new ArrayList<>();
        List<Timestamp> starts = new ArrayList<>();
        byPeriod.keySet().forEach(p -> {
            periods.add(p.label());
            starts.add(Timestamp.from(p.start(local).toInstant()));
        });
        if (!newReservation(c, buyer, leadId, instanceId, periods, starts)) {
            return Optional.empty(); // reserved before (a lead walked again): its slot stands
        }
        int i = 0;
        for (Map.Entry<Period, List<Cap>> period : byPeriod.entrySet()) {
            Timestamp start = starts.get(i++);
            if (!count(c, buyer.id(), period.getKey(), start, price, period.getValue())) {
                return Optional.of(refusal(whichIsFull(c, buyer.id(), period.getKey(), start, price, period.getValue())));
            }
        }
        return Optional.empty();
    }

    /**
     * Gives a reservation back (the buyer did not buy): its periods count one lead and one price less.
     * With an owner, only if that instance still holds it (another may have taken the lead over).
     */
    void release(Connection c, String buyerId, String leadId, String owner) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("""
                delete from cap_reservations where recipient_id = ? and lead_id = ? and sold_at is null
                    and (?::text is null or reserved_by = ?)
                returning price, periods, period_starts""")) {
            delete.setString(1, buyerId);
            delete.setString(2, leadId);
            delete.setString(3, owner);
            delete.setString(4, owner);
            try (ResultSet rs = delete.executeQuery()) {
                if (rs.next()) {
                    uncount(c, buyerId, rs.getBigDecimal(1), rs.getArray(2), rs.getArray(3));
                }
            }
        }
    }

    /**
     * The buyer bought the lead: its slot stays taken. A slot given back meanwhile (its instance looked
     * gone to the others for long) is counted again, whatever the cap says now: the sale happened.
     */
    void sold(Connection c, Buyer buyer, String leadId, Instant now, String instanceId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("""
                update cap_reservations set sold_at = clock_timestamp() where recipient_id = ? and lead_id = ?
                returning 1""")) {
            update.setString(1, buyer.id());
            update.setString(2, leadId);
            try (ResultSet rs = update.executeQuery()) {
                if (rs.next() || buyer.rules().caps().isEmpty()) {
                    return;
                }
            }
        }
        ZonedDateTime local = now.atZone(buyer.rules().timeZone());
        List<String> periods = new ArrayList<>();
        List<Timestamp> starts = new ArrayList<>();
        buyer.rules().caps().stream().map(Cap::period).distinct().sorted().forEach(p -> {
            periods.add(p.label());
            starts.add(Timestamp.from(p.start(local).toInstant()));
        });
        if (newReservation(c, buyer, leadId, instanceId, periods, starts)) {
            for (int i = 0; i < periods.size(); i++) {
                countAnyway(c, buyer.id(), periods.get(i), starts.get(i), buyer.price());
            }
            update(c, "update cap_reservations set sold_at = clock_timestamp() where recipient_id = ? and lead_id = ?", buyer.id(), leadId);
        }
    }

    /** Marks a reservation sold as it stands (a gone instance's sale, found in the events). */
    static void markSold(Connection c, String buyerId, String leadId) throws SQLException {
        update(c, "update cap_reservations set sold_at = clock_timestamp() where recipient_id = ? and lead_id = ? and sold_at is null",
                buyerId, leadId);
    }

    private static void countAnyway(Connection c, String buyerId, String period, Timestamp start, BigDecimal price) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("""
                insert into cap_usage (recipient_id, period, period_start, leads, amount) values (?, ?, ?, 1, ?)
                on conflict (recipient_id, period, period_start) do update
                    set leads = cap_usage.leads + 1, amount = cap_usage.amount + excluded.amount""")) {
            upsert.setString(1, buyerId);
            upsert.setString(2, period);
            upsert.setTimestamp(3, start);
            upsert.setBigDecimal(4, price);
            upsert.executeUpdate();
        }
    }

    private static void update(Connection c, String sql, String buyerId, String leadId) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, buyerId);
            statement.setString(2, leadId);
            statement.executeUpdate();
        }
    }

    private static boolean newReservation(Connection c, Buyer buyer, String leadId, String instanceId, List<String> periods,
            List<Timestamp> starts) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                insert into cap_reservations (recipient_id, lead_id, reserved_by, price, periods, period_starts)
                values (?, ?, ?, ?, ?, ?)
                on conflict (recipient_id, lead_id) do update set reserved_by = excluded.reserved_by
                returning xmax = 0""")) {
            insert.setString(1, buyer.id());
            insert.setString(2, leadId);
            insert.setString(3, instanceId);
            insert.setBigDecimal(4, buyer.price());
            insert.setArray(5, c.createArrayOf("text", periods.toArray()));
            insert.setArray(6, c.createArrayOf("timestamptz", starts.toArray()));
            try (ResultSet rs = insert.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static boolean count(Connection c, String buyerId, Period period, Timestamp start, BigDecimal price, List<Cap> caps)
            throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("""
                insert into cap_usage (recipient_id, period, period_start, leads, amount) values (?, ?, ?, 1, ?)
                on conflict (recipient_id, period, period_start) do update
                    set leads = cap_usage.leads + 1, amount = cap_usage.amount + excluded.amount
                    where cap_usage.leads < ? and cap_usage.amount + excluded.amount <= ?""")) {
            upsert.setString(1, buyerId);
            upsert.setString(2, period.label());
            upsert.setTimestamp(3, start);
            upsert.setBigDecimal(4, price);
            upsert.setInt(5, caps.stream().filter(cap -> !cap.isBudget()).mapToInt(Cap::leads).min().orElse(Integer.MAX_VALUE));
            upsert.setBigDecimal(6, caps.stream().filter(Cap::isBudget).map(Cap::amount).min(BigDecimal::compareTo).orElse(NO_BUDGET));
            return upsert.executeUpdate() == 1;
        }
    }

    /** The cap of the period that the next lead would pass: its lead count if that is full, else its budget. */
    private static Cap whichIsFull(Connection c, String buyerId, Period period, Timestamp start, BigDecimal price, List<Cap> caps)
            throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "select leads, amount from cap_usage where recipient_id = ? and period = ? and period_start = ?")) {
            select.setString(1, buyerId);
            select.setString(2, period.label());
            select.setTimestamp(3, start);
            try (ResultSet rs = select.executeQuery()) {
                boolean counted = rs.next();
                int leads = counted ? rs.getInt(1) : 0;
                BigDecimal amount = counted ? rs.getBigDecimal(2) : BigDecimal.ZERO;
                return caps.stream()
                        .filter(cap -> cap.isBudget() ? amount.add(price).compareTo(cap.amount()) > 0 : leads >= cap.leads())
                        .findFirst().orElse(caps.get(0));
            }
        }
    }

    private static void uncount(Connection c, String buyerId, BigDecimal price, Array periods, Array starts) throws SQLException {
        String[] names = (String[]) periods.getArray();
        Timestamp[] from = (Timestamp[]) starts.getArray();
        try (PreparedStatement update = c.prepareStatement("""
                update cap_usage set leads = greatest(leads - 1, 0), amount = greatest(amount - ?, 0)
                where recipient_id = ? and period = ? and period_start = ?""")) {
            for (int i = 0; i < names.length; i++) {
                update.setBigDecimal(1, price);
                update.setString(2, buyerId);
                update.setString(3, names[i]);
                update.setTimestamp(4, from[i]);
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    private static RuleRefusal refusal(Cap cap) {
        return new RuleRefusal(RuleRefusal.CAP_REACHED, cap.rule(), "the buyer's cap of " + cap.describe() + " is reached");
    }
}
