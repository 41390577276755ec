package io.leadrouter.routing;

import io.leadrouter.model.Buyer;
import io.leadrouter.model.RoutingRules.Cap;
import io.leadrouter.model.RoutingRules.Period;
import java.math.BigDecimal;
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
 * A buyer's caps, counted in table cap_usage: one row per buyer, period and period start. A slot is
 * reserved by the database function offer_reserve (one conditional upsert per capped period, which
 * PostgreSQL re-checks on the row's latest version, so instances reserving at once never pass a cap)
 * and given back by offer_release; this class says what to reserve, and keeps a sale taken.
 */
final class CapCounters {

    private CapCounters() {
    }

    /** What an offer reserves: the buyer's capped periods now, each with its most leads and money (null: none). */
    record Slot(List<String> periods, List<Timestamp> starts, List<Integer> mostLeads, List<BigDecimal> mostAmount) {

        static final Slot NONE = new Slot(List.of(), List.of(), List.of(), List.of());
    }

    /** The slot an offer to this buyer reserves now, or the cap that refuses even a period's first lead. */
    static Slot slotFor(Buyer buyer, Instant now) {
        Map<Period, List<Cap>> byPeriod = byPeriod(buyer);
        ZonedDateTime local = now.atZone(buyer.rules().timeZone());
        List<String> periods = new ArrayList<>();
        List<Timestamp> starts = new ArrayList<>();
        List<Integer> mostLeads = new ArrayList<>();
        List<BigDecimal> mostAmount = new ArrayList<>();
        byPeriod.forEach((period, caps) -> {
            periods.add(period.label());
            starts.add(Timestamp.from(period.start(local).toInstant()));
            mostLeads.add(caps.stream().filter(cap -> !cap.isBudget()).map(Cap::leads).min(Integer::compare).orElse(null));
            mostAmount.add(caps.stream().filter(Cap::isBudget).map(Cap::amount).min(BigDecimal::compareTo).orElse(null));
        });
        return new Slot(periods, starts, mostLeads, mostAmount);
    }

    /** A cap that even a period's first lead would pass (0 leads, a budget below the price): offer_reserve does not check those. */
    static Optional<RuleRefusal> refusedOutright(Buyer buyer) {
        return buyer.rules().caps().stream()
                .filter(cap -> cap.isBudget() ? buyer.price().compareTo(cap.amount()) > 0 : cap.leads() < 1)
                .findFirst().map(CapCounters::refusal);
    }

    /** The refusal of offer_reserve's 'cap:<period>': the lead count of the period if that is full, else its budget. */
    static RuleRefusal refusal(Connection c, Buyer buyer, String periodLabel, Slot slot) throws SQLException {
        Period period = Period.valueOf(periodLabel.toUpperCase(java.util.Locale.ROOT));
        List<Cap> caps = byPeriod(buyer).get(period);
        try (PreparedStatement select = c.prepareStatement(
                "select leads, amount from cap_usage where recipient_id = ? and period = ? and period_start = ?")) {
            select.setString(1, buyer.id());
            select.setString(2, periodLabel);
            select.setTimestamp(3, slot.starts().get(slot.periods().indexOf(periodLabel)));
            try (ResultSet rs = select.executeQuery()) {
                boolean counted = rs.next();
                int leads = counted ? rs.getInt(1) : 0;
                BigDecimal amount = counted ? rs.getBigDecimal(2) : BigDecimal.ZERO;
                return refusal(caps.stream()
                        .filter(cap -> cap.isBudget() ? amount.add(buyer.price()).compareTo(cap.amount()) > 0 : leads >= cap.leads())
                        .findFirst().orElse(caps.get(0)));
            }
        }
    }

    /**
     * The buyer bought the lead: its slot stays taken. A slot given back meanwhile (its instance looked
     * gone to the others for long) is counted again, whatever the cap says now: the sale happened.
     */
    static void sold(Connection c, Buyer buyer, String leadId, Instant now, String instanceId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "update cap_reservations set sold_at = clock_timestamp() where recipient_id = ? and lead_id = ? returning 1")) {
            update.setString(1, buyer.id());
            update.setString(2, leadId);
            try (ResultSet rs = update.executeQuery()) {
                if (rs.next() || buyer.rules().caps().isEmpty()) {
                    return;
                }
            }
        }
        Slot slot = slotFor(buyer, now);
        try (PreparedStatement insert = c.prepareStatement("""
                insert into cap_reservations (recipient_id, lead_id, reserved_by, price, periods, period_starts, sold_at)
                values (?, ?, ?, ?, ?, ?, clock_timestamp()) on conflict do nothing""")) {
            insert.setString(1, buyer.id());
            insert.setString(2, leadId);
            insert.setString(3, instanceId);
            insert.setBigDecimal(4, buyer.price());
            insert.setArray(5, c.createArrayOf("text", slot.periods().toArray()));
            insert.setArray(6, c.createArrayOf("timestamptz", slot.starts().toArray()));
            if (insert.executeUpdate() == 0) {
                return;
            }
        }
        try (PreparedStatement upsert = c.prepareStatement("""
                insert into cap_usage (recipient_id, period, period_start, leads, amount) values (?, ?, ?, 1, ?)
                on conflict (recipient_id, period, period_start) do update
                    set leads = cap_usage.leads + 1, amount = cap_usage.amount + excluded.amount""")) {
            for (int i = 0; i < slot.periods().size(); i++) {
                upsert.setString(1, buyer.id());
                upsert.setString(2, slot.periods().get(i));
                upsert.setTimestamp(3, slot.starts().get(i));
                upsert.setBigDecimal(4, buyer.price());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    /** Marks a reservation sold as it stands (a gone instance's sale, found in the events). */
    static void markSold(Connection c, String buyerId, String leadId) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "update cap_reservations set sold_at = clock_timestamp() where recipient_id = ? and lead_id = ? and sold_at is null")) {
            update.setString(1, buyerId);
            update.setString(2, leadId);
            update.executeUpdate();
        }
    }

    /** The buyer's caps by period, hour to month: the order every offer locks the periods' rows in. */
    private static Map<Period, List<Cap>> byPeriod(Buyer buyer) {
        Map<Period, List<Cap>> byPeriod = new EnumMap<>(Period.class);
        buyer.rules().caps().forEach(cap -> byPeriod.computeIfAbsent(cap.period(), p -> new ArrayList<>()).add(cap));
        return byPeriod;
    }

    private static RuleRefusal refusal(Cap cap) {
        return new RuleRefusal(RuleRefusal.CAP_REACHED, cap.rule(), "the buyer's cap of " + cap.describe() + " is reached");
    }
}
