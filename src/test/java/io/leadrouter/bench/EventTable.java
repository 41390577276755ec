package io.leadrouter.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Questions the benchmark asks of a scenario's database (the router's tables, read-only). */
final class EventTable implements AutoCloseable {

    /** Latency from intake (leads.received_at) to the delivered event (occurred_at), both on the router's clock. */
    record Latency(long delivered, double p50, double p95, double p99, double max) {
    }

    /** Delivered events of some buyers per second, from the first lead received to the last delivery. */
    record Throughput(long delivered, double seconds) {
        double perSecond() {
            return seconds > 0 ? delivered / seconds : 0;
        }
    }

    private final Connection connection;
    private Timestamp measuredFrom = new Timestamp(0);

    EventTable(String jdbcUrl) throws SQLException {
        this.connection = BenchServices.connect(jdbcUrl);
    }

    /**
     * Switches the analytics rollups' trigger off (bench.analytics=off): what keeping them costs is the
     * difference between runs with and without it.
     */
    void stopAnalyticsRollups() throws SQLException {
        try (java.sql.Statement sql = connection.createStatement()) {
            sql.execute("alter table recipient_events disable trigger recipient_events_to_analytics");
        }
    }

    long terminalEvents() throws SQLException {
        return single("select count(*) from recipient_events where " + TerminalEvents.SQL);
    }

    long events() throws SQLException {
        return single("select count(*) from recipient_events");
    }

    long leads() throws SQLException {
        return single("select count(*) from leads");
    }

    long completedLeads() throws SQLException {
        return single("select count(*) from leads where completed_at is not null");
    }

    /**
     * What the scenario's leads take in PostgreSQL, for the capacity estimate: bytes of each table
     * with its indexes and TOAST, per lead (warm-up leads included), and the event rows per lead.
     */
    String storagePerLead() throws SQLException {
        long leads = leads();
        if (leads == 0) {
            return "no leads";
        }
        return String.format(java.util.Locale.ROOT,
                "leads %.0f B, recipient_events %.0f B (%.2f rows of %d B of JSON each), firehose_outbox %d rows left, per lead over %d leads",
                (double) single("select pg_total_relation_size('leads')") / leads,
                (double) single("select pg_total_relation_size('recipient_events')") / leads,
                (double) events() / leads, single("select coalesce(avg(octet_length(event::text)), 0)::bigint from recipient_events"),
                single("select count(*) from firehose_outbox"), leads);
    }

    /**
     * The plan of every statement the routers ran at least {@code minCalls} times on this database (the
     * hot path and the periodic sweeps), from pg_stat_statements, each EXPLAINed as its generic plan on the tables as they are
     * now: one line per statement with its calls, mean time and the scans of its plan. A sequential scan
     * of leads or recipient_events is marked, since it grows with the tables.
     */
    List<String> hotQueryPlans(long minCalls) throws SQLException {
        List<String> plans = new java.util.ArrayList<>();
        try (var statement = connection.createStatement()) {
            statement.execute("create extension if not exists pg_stat_statements");
            statement.execute("set plan_cache_mode = force_generic_plan");
            List<String[]> hot = new java.util.ArrayList<>();
            try (ResultSet rs = statement.executeQuery("""
                    select query, calls, mean_exec_time from pg_stat_statements
                    where dbid = (select oid from pg_database where datname = current_database()) and calls >= %d
                      and query ~* '^\\s*(select|insert|update|delete|with)' and query !~* 'pg_stat_statements|pg_catalog|pg_advisory'
                    order by calls desc""".formatted(minCalls))) {
                while (rs.next()) {
                    hot.add(new String[] {rs.getString(1), rs.getString(2), String.format(java.util.Locale.ROOT, "%.3f", rs.getDouble(3))});
                }
            }
            int n = 0;
            for (String[] query : hot) {
                String name = "hot_" + n++;
                int parameters = (int) java.util.regex.Pattern.compile("\\$(\\d+)").matcher(query[0]).results()
                        .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
                String scans;
                try {
                    statement.execute("prepare " + name + " as " + query[0]);
                    StringBuilder nodes = new StringBuilder();
                    String args = parameters == 0 ? "" : "(" + String.join(", ", java.util.Collections.nCopies(parameters, "null")) + ")";
                    try (ResultSet plan = statement.executeQuery("explain execute " + name + args)) {
                        while (plan.next()) {
                            var scan = java.util.regex.Pattern.compile("(Seq Scan on \\w+|Index Only Scan using \\w+|Index Scan using \\w+|Bitmap Index Scan on \\w+|Function Scan on \\w+)")
                                    .matcher(plan.getString(1));
                            while (scan.find()) {
                                String found = scan.group(1);
                                nodes.append(nodes.length() == 0 ? "" : ", ")
                                        .append(found.matches("Seq Scan on (leads|recipient_events)") ? "GROWS: " + found : found);
                            }
                        }
                    }
                    statement.execute("deallocate " + name);
                    scans = nodes.length() == 0 ? "no scan (values only)" : nodes.toString();
                } catch (SQLException e) {
                    scans = "not explained: " + e.getMessage().lines().findFirst().orElse("");
                }
                plans.add(String.format(java.util.Locale.ROOT, "%8s calls, %7s ms mean: %s  <- %s", query[1], query[2], scans,
                        query[0].replaceAll("\\s+", " ").trim()));
            }
        }
        return plans;
    }

    long deadLetters() throws SQLException {
        return single("select count(*) from dead_letters");
    }

    /** Terminal outcomes that repeat one (lead, buyer) pair: a lead delivered or failed twice to one buyer. */
    long repeatedTerminalOutcomes() throws SQLException {
        return single("select count(*) - count(distinct (lead_id, recipient_id)) from recipient_events where " + TerminalEvents.SQL);
    }

    /** Leads accounted for at this buyer: a terminal event, a dead letter, or held by the buyer's open circuit. */
    long leadsWithTerminalOutcome(String buyerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                select count(*) from (
                    select lead_id from recipient_events where recipient_id = ? and %s
                    union
                    select lead_id from dead_letters where recipient_id = ?
                    union
                    select lead_id from held_leads where recipient_id = ?) t""".formatted(TerminalEvents.SQL))) {
            select.setString(1, buyerId);
            select.setString(2, buyerId);
            select.setString(3, buyerId);
            return count(select);
        }
    }

    /** Leads held by the buyers' open circuits, every buyer's. */
    long heldLeads() throws SQLException {
        return single("select count(*) from held_leads");
    }

    /** Leads held for this buyer by its circuit. */
    long leadsHeld(String buyerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("select count(*) from held_leads where recipient_id = ?")) {
            select.setString(1, buyerId);
            return count(select);
        }
    }

    /** Calls made to this buyer (recipient.delivery_attempt events). */
    long calls(String buyerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select count(*) from recipient_events where recipient_id = ? and event_type = 'recipient.delivery_attempt'")) {
            select.setString(1, buyerId);
            return count(select);
        }
    }

    long leadsDeadLettered(String buyerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select count(distinct lead_id) from dead_letters where recipient_id = ?")) {
            select.setString(1, buyerId);
            return count(select);
        }
    }

    /** Rules' decisions recorded (a lead not offered to a buyer, or held for its hours). */
    long routingDecisions() throws SQLException {
        return single("select count(*) from routing_decisions");
    }

    /** Cap slots and consumer claims reserved by offers and not settled yet (neither sold nor given back). */
    long unsettledReservations() throws SQLException {
        return single("select (select count(*) from cap_reservations where sold_at is null)"
                + " + (select count(*) from consumer_claims where sold_at is null)");
    }

    /** Leads this buyer bought by its cap slots: reservations settled as sold. */
    long capSlotsSold(String buyerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select count(*) from cap_reservations where recipient_id = ? and sold_at is not null")) {
            select.setString(1, buyerId);
            return count(select);
        }
    }

    /** Leads whose consumer this buyer bought: consumer claims settled as sold, by lead. */
    long consumersSold(String buyerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select count(distinct lead_id) from consumer_claims where recipient_id = ? and sold_at is not null")) {
            select.setString(1, buyerId);
            return count(select);
        }
    }

    /** Leads delivered to (bought by) this buyer. */
    long leadsDelivered(String buyerId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select count(distinct lead_id) from recipient_events where recipient_id = ? and event_type = 'recipient.delivered'")) {
            select.setString(1, buyerId);
            return count(select);
        }
    }

    Set<String> eventIds() throws SQLException {
        Set<String> ids = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("select event_id::text from recipient_events");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }

    /** Leads received before this (a warm-up) are left out of {@link #latency} and {@link #throughput}. */
    void measureFrom(Instant from) {
        this.measuredFrom = Timestamp.from(from);
    }

    Latency latency(List<String> buyerIds) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                select count(*),
                       percentile_cont(array[0.5, 0.95, 0.99]) within group (order by ms),
                       max(ms)
                from (select extract(epoch from (e.occurred_at - l.received_at)) * 1000 as ms
                      from recipient_events e join leads l on l.lead_id = e.lead_id
                      where e.event_type = 'recipient.delivered' and e.recipient_id = any(?) and l.received_at >= ?) d""")) {
            select.setArray(1, textArray(buyerIds));
            select.setTimestamp(2, measuredFrom);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                long n = rs.getLong(1);
                if (n == 0) {
                    return new Latency(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
                }
                Double[] p = (Double[]) rs.getArray(2).getArray();
                return new Latency(n, p[0], p[1], p[2], rs.getDouble(3));
            }
        }
    }

    /**
     * Where a lead's time goes, for finding a latency tail: p50/p99/max in ms of intake to the
     * delivery attempt's event (the group commit, the walk and the queues) and of the attempt's
     * event to the delivered one (the buyer's call and recording its answer), the first attempt of
     * each measured lead to these buyers.
     */
    String stages(List<String> buyerIds) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                select percentile_cont(array[0.5, 0.99]) within group (order by queued), max(queued),
                       percentile_cont(array[0.5, 0.99]) within group (order by called), max(called)
                from (select extract(epoch from (a.occurred_at - l.received_at)) * 1000 as queued,
                             extract(epoch from (d.occurred_at - a.occurred_at)) * 1000 as called
                      from recipient_events d
                      join leads l on l.lead_id = d.lead_id
                      join recipient_events a on a.lead_id = d.lead_id and a.recipient_id = d.recipient_id
                           and a.event_type = 'recipient.delivery_attempt' and (a.event -> 'metadata' ->> 'attempt_number')::int = 1
                      where d.event_type = 'recipient.delivered' and d.recipient_id = any(?) and l.received_at >= ?) s""")) {
            select.setArray(1, textArray(buyerIds));
            select.setTimestamp(2, measuredFrom);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                if (rs.getArray(1) == null) {
                    return "no deliveries";
                }
                Double[] queued = (Double[]) rs.getArray(1).getArray();
                Double[] called = (Double[]) rs.getArray(3).getArray();
                return String.format(java.util.Locale.ROOT,
                        "intake to attempt p50/p99/max %.1f/%.1f/%.1f ms, attempt to delivered %.1f/%.1f/%.1f ms",
                        queued[0], queued[1], rs.getDouble(2), called[0], called[1], rs.getDouble(4));
            }
        }
    }

    Throughput throughput(List<String> buyerIds) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                select count(*),
                       extract(epoch from (max(e.occurred_at) - (select min(received_at) from leads where received_at >= ?)))
                from recipient_events e join leads l on l.lead_id = e.lead_id
                where e.event_type = 'recipient.delivered' and e.recipient_id = any(?) and l.received_at >= ?""")) {
            select.setTimestamp(1, measuredFrom);
            select.setArray(2, textArray(buyerIds));
            select.setTimestamp(3, measuredFrom);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new Throughput(rs.getLong(1), rs.getDouble(2));
            }
        }
    }

    private Array textArray(List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    private long single(String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            return count(select);
        }
    }

    private static long count(PreparedStatement select) throws SQLException {
        try (ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
