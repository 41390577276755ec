package io.leadrouter.analytics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.support.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The analytics API's figures, added up from the rollups (V9__analytics.sql) over a range. The
 * definitions are the README's "Analytics"; the rollups hold exact counts and sums, so every figure
 * but the percentiles is exact.
 */
public final class AnalyticsQueries {

    /** Every query's rows: the range, and the buyer when narrowed ({@code ?::text is null or ...}). */
    private static final String IN_RANGE = " bucket >= ? and bucket < ? and (?::text is null or recipient_id = ?) ";

    private final DataSource dataSource;
    private final AnalyticsCalendar calendar;
    private final Function<String, String> buyerNames;

    /** @param buyerNames a buyer's name by its id (null for a buyer no file declares now) */
    public AnalyticsQueries(DataSource dataSource, AnalyticsCalendar calendar, Function<String, String> buyerNames) {
        this.dataSource = dataSource;
        this.calendar = calendar;
        this.buyerNames = buyerNames;
    }

    /** Whether any figure or offer names this buyer: an unknown recipient_id is a bad parameter, not an empty answer. */
    public boolean knows(String recipientId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("""
                        select exists (select 1 from analytics_offers where recipient_id = ?)
                            or exists (select 1 from analytics_rollup where recipient_id = ?)""")) {
            s.setString(1, recipientId);
            s.setString(2, recipientId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Events the rollups missed (analytics_gaps: a fault in their SQL), until a backfill; empty when complete. */
    public java.util.Optional<String> gaps() throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select coalesce(sum(events), 0), min(noticed_at), min(problem) from analytics_gaps");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            long missed = rs.getLong(1);
            return missed == 0 ? java.util.Optional.empty() : java.util.Optional.of(missed + " events missed since "
                    + rs.getObject(2, OffsetDateTime.class).toInstant() + " (" + rs.getString(3) + "): run BackfillCommand");
        }
    }

    /** Events written but not yet in the rollups (analytics_queue): the answers lag the events by these. */
    public long pending() throws SQLException {
        return query("select count(*) from analytics_queue").get(0).longAt(1);
    }

    // ---- GET /analytics/delivery ----

    public ObjectNode delivery(AnalyticsRange range) throws SQLException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        long offers = 0;
        long delivered = 0;
        long attempts = 0;
        ArrayNode buyers = Json.MAPPER.createArrayNode();
        for (Row row : rows(range, "select recipient_id, sum(offers), sum(delivered), sum(attempts) from analytics_rollup where"
                + IN_RANGE + "group by recipient_id order by recipient_id")) {
            offers += row.longAt(2);
            delivered += row.longAt(3);
            attempts += row.longAt(4);
            ObjectNode buyer = buyer(buyers, row.text(1));
            buyer.put("offers", row.longAt(2)).put("delivered", row.longAt(3));
            putRate(buyer, "delivery_rate", row.longAt(3), row.longAt(2));
        }
        body.put("from", range.from().toString()).put("to", range.to().toString());
        body.put("offers", offers).put("delivered", delivered);
        putRate(body, "delivery_rate", delivered, offers);
        body.put("attempts", attempts);
        body.set("by_buyer", buyers);
        ObjectNode periods = body.putObject("by_period");
        for (String period : List.of("business_hours", "after_hours", "weekends")) {
            periods.putObject(period).put("offers", 0).put("delivered", 0).putNull("delivery_rate");
        }
        // each quarter hour's local time is worked out once, not once per buyer
        for (Row row : rows(range, "select " + period() + " as period, sum(offers), sum(delivered) from ("
                + "select bucket, sum(offers) as offers, sum(delivered) as delivered from analytics_rollup where" + IN_RANGE
                + "group by bucket) per_quarter group by 1")) {
            ObjectNode period = (ObjectNode) periods.get(row.text(1));
            period.put("offers", row.longAt(2)).put("delivered", row.longAt(3));
            putRate(period, "delivery_rate", row.longAt(3), row.longAt(2));
        }
        return body;
    }

    // ---- GET /analytics/failures ----

    /**
     * From analytics_failure_days: per UTC day, buyer and reason, the day's quarter-hour counts (a month is about 4,000
     * rows); each quarter hour of the range is placed in its local hour and weekday here, once.
     */
    public ObjectNode failures(AnalyticsRange range) throws SQLException {
        AnalyticsCalendar.LocalQuarters local = calendar.localQuarters(range.from(), range.to());
        // per buyer and reason, its failures in each local hour of day: a row's quarter hours are added up in arrays
        Map<BuyerReason, long[]> byHourOfDay = new HashMap<>();
        long[] byWeekday = new long[7];
        long day = 86_400;
        Instant firstDay = Instant.ofEpochSecond(Math.floorDiv(range.from().getEpochSecond(), day) * day);
        String buyerId = range.recipientId().orElse(null);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                select day, recipient_id, category, reason, quarters from analytics_failure_days
                where day >= ? and day < ? and (?::text is null or recipient_id = ?)""")) {
            s.setObject(1, utc(firstDay));
            s.setObject(2, utc(range.to()));
            s.setString(3, buyerId);
            s.setString(4, buyerId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long dayStart = rs.getObject(1, OffsetDateTime.class).toEpochSecond();
                    long[] hours = byHourOfDay.computeIfAbsent(new BuyerReason(rs.getString(2), rs.getString(3), rs.getString(4)),
                            key -> new long[24]);
                    java.nio.ByteBuffer counts = java.nio.ByteBuffer.wrap(rs.getBytes(5)); // 96 big-endian ints
                    for (int i = 0; i < 96; i++) {
                        int count = counts.getInt(4 * i);
                        int quarter = local.indexOf(dayStart + i * AnalyticsCalendar.QUARTER_HOUR.toSeconds());
                        if (count != 0 && quarter >= 0) {
                            hours[local.hour(quarter)] += count;
                            byWeekday[local.weekday(quarter) - 1] += count;
                        }
                    }
                }
            }
        }
        Map<BuyerReason, Long> totals = new HashMap<>();
        long[] byHour = new long[24];
        byHourOfDay.forEach((key, hours) -> {
            totals.put(key, java.util.Arrays.stream(hours).sum());
            for (int hour = 0; hour < 24; hour++) {
                byHour[hour] += hours[hour];
            }
        });
        totals.values().removeIf(count -> count == 0);
        long total = java.util.Arrays.stream(byHour).sum();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("from", range.from().toString()).put("to", range.to().toString());
        body.put("failures", total);
        ArrayNode categories = body.putArray("by_category");
        sum(totals, BuyerReason::category).forEach((category, count) ->
                putShare(categories.addObject().put("category", category), count, total));
        ArrayNode reasons = body.putArray("by_reason");
        sum(totals, key -> key.category() + "|" + key.reason()).forEach((key, count) -> putShare(reasons.addObject()
                .put("category", key.substring(0, key.indexOf('|'))).put("reason", key.substring(key.indexOf('|') + 1)), count, total));
        ArrayNode buyers = body.putArray("by_buyer");
        sum(totals, BuyerReason::buyer).forEach((id, count) -> putShare(buyer(buyers, id), count, total));
        ArrayNode hours = body.putArray("by_hour");
        for (int hour = 0; hour < 24; hour++) {
            putShare(hours.addObject().put("hour", hour), byHour[hour], total);
        }
        ArrayNode weekdays = body.putArray("by_weekday");
        for (DayOfWeek weekday : DayOfWeek.values()) {
            putShare(weekdays.addObject().put("weekday", weekday.name().toLowerCase(Locale.ROOT)), byWeekday[weekday.getValue() - 1], total);
        }
        body.set("spikes", spikes(local.hoursOfDay(), byHourOfDay, totals));
        return body;
    }

    /** One buyer's failures for one reason. */
    private record BuyerReason(String buyer, String category, String reason) {
    }

    /**
     * (buyer, reason, hour of day) whose failures are at least 3 × that buyer-reason's mean per hour of
     * day (its failures over the hours of day the range touches) and at least 5; the biggest first.
     */
    private ArrayNode spikes(int hoursOfDay, Map<BuyerReason, long[]> byHourOfDay, Map<BuyerReason, Long> totals) {
        record Spike(BuyerReason key, int hour, long count, long total) {
        }
        List<Spike> spikes = new ArrayList<>();
        byHourOfDay.forEach((key, hours) -> {
            for (int hour = 0; hour < 24; hour++) {
                // count ≥ 3 × total / hours, in integers
                if (hours[hour] >= 5 && hours[hour] * hoursOfDay >= 3 * totals.get(key)) {
                    spikes.add(new Spike(key, hour, hours[hour], totals.get(key)));
                }
            }
        });
        spikes.sort(Comparator.comparingLong(Spike::count).reversed().thenComparing(spike -> spike.key().buyer())
                .thenComparing(spike -> spike.key().reason()).thenComparingInt(Spike::hour));
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (Spike spike : spikes) {
            buyer(list, spike.key().buyer()).put("category", spike.key().category()).put("reason", spike.key().reason())
                    .put("hour", spike.hour()).put("count", spike.count()).put("mean_per_hour", (double) spike.total() / hoursOfDay);
        }
        return list;
    }

    // ---- GET /analytics/response-times ----

    public ObjectNode responseTimes(AnalyticsRange range) throws SQLException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("from", range.from().toString()).put("to", range.to().toString());
        Map<String, ResponseTimes> buyers = new LinkedHashMap<>();
        ResponseTimes all = new ResponseTimes();
        for (Row row : rows(range, """
                select recipient_id, sum(rt_count), sum(rt_sum_ms), sum(rt_fast), sum(rt_normal), sum(rt_slow), sum(rt_very_slow)
                from analytics_rollup where""" + IN_RANGE + "and rt_count <> 0 group by 1 order by 1")) {
            ResponseTimes buyer = buyers.computeIfAbsent(row.text(1), id -> new ResponseTimes());
            buyer.add(row);
            all.add(row);
        }
        for (Row row : sketchBins(range)) {
            buyers.get(row.text(1)).sketch.add(row.intAt(2), row.longAt(3));
            all.sketch.add(row.intAt(2), row.longAt(3));
        }
        all.writeTo(body);
        ArrayNode list = body.putArray("by_buyer");
        buyers.forEach((id, times) -> times.writeTo(buyer(list, id)));
        return body;
    }

    /**
     * The range's response-time sketches added up per buyer and bin: whole UTC days from analytics_sketch_days,
     * the quarter hours before the first and after the last from analytics_rollup.
     */
    private List<Row> sketchBins(AnalyticsRange range) throws SQLException {
        String buyer = range.recipientId().orElse(null);
        Object[] bounds = WholeDays.of(range).bounds(range);
        return query("""
                select recipient_id, u.bin, sum(u.count) from (
                    select recipient_id, rt_sketch from analytics_sketch_days
                    where day >= ? and day < ? and (?::text is null or recipient_id = ?)
                    union all
                    select recipient_id, rt_sketch from analytics_rollup
                    where ((bucket >= ? and bucket < ?) or (bucket >= ? and bucket < ?)) and rt_count <> 0
                        and (?::text is null or recipient_id = ?)
                ) r, unnest(r.rt_sketch) with ordinality as u(count, bin)
                where u.count <> 0 group by 1, 2""",
                bounds[0], bounds[1], buyer, buyer, bounds[2], bounds[3], bounds[4], bounds[5], buyer, buyer);
    }

    /**
     * The whole UTC days of a range, [from, to): read from a per-day table, the range's quarter hours before and
     * after them from the quarter-hour one. Empty (both the range's end) when the range has no whole day.
     */
    private record WholeDays(Instant from, Instant to) {
        static WholeDays of(AnalyticsRange range) {
            long day = 86_400;
            Instant from = Instant.ofEpochSecond(Math.floorDiv(range.from().getEpochSecond() + day - 1, day) * day);
            Instant to = Instant.ofEpochSecond(Math.floorDiv(range.to().getEpochSecond(), day) * day);
            return from.isBefore(to) ? new WholeDays(from, to) : new WholeDays(range.to(), range.to());
        }

        /** The parameters of {@code day >= ? and day < ?} then {@code (bucket >= ? and bucket < ?) or (bucket >= ? and bucket < ?)}. */
        Object[] bounds(AnalyticsRange range) {
            return new Object[] {utc(from), utc(to), utc(range.from()), utc(from), utc(to), utc(range.to())};
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** The response-time sums of one buyer or all. */
    private static final class ResponseTimes {
        long count;
        long sumMs;
        final long[] buckets = new long[4];
        final ResponseTimeSketch sketch = new ResponseTimeSketch();

        void add(Row row) {
            count += row.longAt(2);
            sumMs += row.longAt(3);
            for (int i = 0; i < 4; i++) {
                buckets[i] += row.longAt(4 + i);
            }
        }

        void writeTo(ObjectNode node) {
            node.put("count", count);
            if (count == 0) {
                node.putNull("mean_ms").putNull("p50_ms").putNull("p95_ms").putNull("p99_ms");
            } else {
                node.put("mean_ms", (double) sumMs / count);
                node.put("p50_ms", sketch.quantile(0.50)).put("p95_ms", sketch.quantile(0.95)).put("p99_ms", sketch.quantile(0.99));
            }
            ObjectNode shares = node.putObject("buckets");
            String[] names = {"fast", "normal", "slow", "very_slow"};
            for (int i = 0; i < 4; i++) {
                putRate(shares, names[i], buckets[i], count);
            }
        }
    }

    // ---- GET /analytics/revenue ----

    public ObjectNode revenue(AnalyticsRange range) throws SQLException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("from", range.from().toString()).put("to", range.to().toString());
        long attempts = 0;
        long delivered = 0;
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal returned = BigDecimal.ZERO;
        List<Row> perBuyer = rows(range, """
                select recipient_id, sum(attempts), sum(delivered), sum(revenue), sum(returned), sum(returns)
                from analytics_rollup where""" + IN_RANGE + "group by 1 order by 1");
        for (Row row : perBuyer) {
            attempts += row.longAt(2);
            delivered += row.longAt(3);
            revenue = revenue.add(row.money(4));
            returned = returned.add(row.money(5));
        }
        body.put("attempts", attempts).put("delivered", delivered);
        body.put("revenue", money(revenue));
        putAverage(body, revenue, delivered);
        body.put("returned", money(returned)).put("net_revenue", money(revenue.subtract(returned)));
        ArrayNode buyers = body.putArray("by_buyer");
        for (Row row : perBuyer) {
            if (row.longAt(3) == 0 && row.longAt(6) == 0) {
                continue; // attempts only: no revenue to attribute
            }
            ObjectNode buyer = buyer(buyers, row.text(1)).put("delivered", row.longAt(3)).put("revenue", money(row.money(4)));
            if (revenue.signum() == 0) {
                buyer.putNull("share");
            } else {
                buyer.put("share", row.money(4).doubleValue() / revenue.doubleValue());
            }
            putAverage(buyer, row.money(4), row.longAt(3));
            buyer.put("returned", money(row.money(5))).put("net_revenue", money(row.money(4).subtract(row.money(5))));
        }
        ArrayNode days = body.putArray("by_day");
        for (Row row : rows(range, "select (bucket at time zone ?)::date::text, sum(delivered), sum(revenue), sum(returned) from ("
                + "select bucket, sum(delivered) as delivered, sum(revenue) as revenue, sum(returned) as returned"
                + " from analytics_rollup where" + IN_RANGE + "group by bucket) per_quarter group by 1 order by 1", calendar.zoneName())) {
            days.addObject().put("day", row.text(1)).put("delivered", row.longAt(2)).put("revenue", money(row.money(3)))
                    .put("returned", money(row.money(4))).put("net_revenue", money(row.money(3).subtract(row.money(4))));
        }
        return body;
    }

    // ---- GET /analytics/buyer-scores ----

    /** Buyers with at least one offer in the range, best first (ties by id). */
    public ArrayNode buyerScores(AnalyticsRange range) throws SQLException {
        List<BuyerScore.Figures> figures = new ArrayList<>();
        for (Row row : rows(range, """
                select recipient_id, sum(offers), sum(delivered), sum(revenue), sum(with_feedback), sum(rt_count), sum(rt_sum_ms)
                from analytics_rollup where""" + IN_RANGE + "group by 1 having sum(offers) > 0 order by 1")) {
            figures.add(new BuyerScore.Figures(row.text(1), row.longAt(2), row.longAt(3), row.money(4), row.longAt(5),
                    row.longAt(6), row.longAt(7)));
        }
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (BuyerScore score : BuyerScore.rank(figures)) {
            ObjectNode item = buyer(list, score.figures().recipientId()).put("score", score.score());
            putRate(item, "delivery_rate", score.figures().delivered(), score.figures().offers());
            if (score.figures().timedResponses() == 0) {
                item.putNull("mean_response_ms");
            } else {
                item.put("mean_response_ms", (double) score.figures().responseMsSum() / score.figures().timedResponses());
            }
            putAverage(item, score.figures().revenue(), score.figures().delivered());
            putRate(item, "feedback_rate", score.figures().withFeedback(), score.figures().delivered());
        }
        return list;
    }

    // ---- GET /analytics/retries ----

    public ObjectNode retries(AnalyticsRange range) throws SQLException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("from", range.from().toString()).put("to", range.to().toString());
        long offers = rows(range, "select sum(offers) from analytics_rollup where" + IN_RANGE).get(0).longAt(1);
        body.put("offers", offers);
        ArrayNode attempts = body.putArray("by_attempt");
        for (Row row : rows(range, "select attempt, sum(delivered) from analytics_delivered_at where" + IN_RANGE
                + "group by 1 having sum(delivered) <> 0 order by 1")) {
            putRate(attempts.addObject().put("attempt", row.intAt(1)).put("delivered", row.longAt(2)), "share", row.longAt(2), offers);
        }
        ArrayNode reasons = body.putArray("by_reason");
        String buyer = range.recipientId().orElse(null);
        Object[] bounds = WholeDays.of(range).bounds(range);
        // whole days from analytics_reason_days, the quarter hours of partial days from analytics_reasons
        for (Row row : query("""
                select category, reason, sum(retried), sum(recovered) from (
                    select category, reason, retried, recovered from analytics_reason_days
                    where day >= ? and day < ? and (?::text is null or recipient_id = ?)
                    union all
                    select category, reason, retried, recovered from analytics_reasons
                    where ((bucket >= ? and bucket < ?) or (bucket >= ? and bucket < ?)) and (?::text is null or recipient_id = ?)
                ) r
                group by 1, 2 having sum(retried) <> 0 order by 1, 2""",
                bounds[0], bounds[1], buyer, buyer, bounds[2], bounds[3], bounds[4], bounds[5], buyer, buyer)) {
            putRate(reasons.addObject().put("category", row.text(1)).put("reason", row.text(2))
                    .put("retried", row.longAt(3)).put("recovered", row.longAt(4)), "recovery_rate", row.longAt(4), row.longAt(3));
        }
        return body;
    }

    // ---- helpers ----

    /** The period of a quarter hour, by its start in the analytics time zone. */
    private String period() {
        String local = "(bucket at time zone '" + calendar.zoneName().replace("'", "''") + "')";
        return "case when extract(isodow from " + local + ") in (6, 7) then 'weekends'"
                + " when " + local + "::time >= time '" + calendar.opens() + "' and " + local + "::time < time '" + calendar.closes() + "'"
                + " then 'business_hours' else 'after_hours' end";
    }

    private ObjectNode buyer(ArrayNode list, String recipientId) {
        return list.addObject().put("recipient_id", recipientId).put("name", buyerNames.apply(recipientId));
    }

    private static void putRate(ObjectNode node, String field, long part, long whole) {
        if (whole == 0) {
            node.putNull(field);
        } else {
            node.put(field, (double) part / whole);
        }
    }

    private static void putShare(ObjectNode node, long count, long total) {
        node.put("count", count);
        putRate(node, "share", count, total);
    }

    private static void putAverage(ObjectNode node, BigDecimal revenue, long delivered) {
        if (delivered == 0) {
            node.putNull("average_price");
        } else {
            node.put("average_price", revenue.divide(BigDecimal.valueOf(delivered), 2, RoundingMode.HALF_UP));
        }
    }

    private static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }

    /** The counts added up per key, in key order. */
    private static <T> Map<String, Long> sum(Map<T, Long> counts, Function<T, String> key) {
        Map<String, Long> sums = new java.util.TreeMap<>();
        counts.forEach((item, count) -> sums.merge(key.apply(item), count, Long::sum));
        return sums;
    }

    /** A result row, read whole: columns numbered from 1 as in JDBC. */
    private record Row(Object[] values) {
        String text(int column) {
            return (String) values[column - 1];
        }

        long longAt(int column) {
            Object value = values[column - 1];
            return value == null ? 0 : ((Number) value).longValue();
        }

        int intAt(int column) {
            return (int) longAt(column);
        }

        BigDecimal money(int column) {
            Object value = values[column - 1];
            return value == null ? BigDecimal.ZERO : (BigDecimal) value;
        }
    }

    /** Runs a query whose parameters are, after any leading ones given, the range's (from, to, buyer, buyer). */
    private List<Row> rows(AnalyticsRange range, String sql, Object... leading) throws SQLException {
        Object[] parameters = java.util.Arrays.copyOf(leading, leading.length + 4);
        parameters[leading.length] = utc(range.from());
        parameters[leading.length + 1] = utc(range.to());
        parameters[leading.length + 2] = range.recipientId().orElse(null);
        parameters[leading.length + 3] = range.recipientId().orElse(null);
        return query(sql, parameters);
    }

    private List<Row> query(String sql, Object... parameters) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] == null) {
                    s.setNull(i + 1, java.sql.Types.VARCHAR);
                } else {
                    s.setObject(i + 1, parameters[i]);
                }
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                int width = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] values = new Object[width];
                    for (int column = 1; column <= width; column++) {
                        values[column - 1] = rs.getObject(column);
                    }
                    rows.add(new Row(values));
                }
            }
            return rows;
        }
    }
}
