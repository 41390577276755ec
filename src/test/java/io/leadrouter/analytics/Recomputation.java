package io.leadrouter.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The README's analytics definitions, computed again from the raw events alone, in Java, the plain
 * way: no rollup, no SQL but reading the events, no code of the router's. Each method builds the
 * answer its endpoint should give, field for field; percentiles are exact here (nearest rank).
 *
 * <p>An offer's end is found without the events' {@code metadata.final}: the last delivered or failed
 * event of a (lead, buyer) pair, once nothing follows it (the tests wait for every lead to end).
 */
final class Recomputation {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    record Event(long seq, JsonNode json, String type, String leadId, String buyer, Instant at) {
        String category() {
            return json.path("failure").path("category").asText(null);
        }

        String reason() {
            return json.path("failure").path("reason").asText(null);
        }

        boolean concluded() {
            return type.equals("recipient.delivered") || type.equals("recipient.failed");
        }

        boolean timed() {
            return json.path("duration_ms").isNumber() && (type.equals("recipient.delivered") || type.equals("recipient.failed")
                    && (json.path("response").path("status_code").isNumber() || "Timeout".equals(reason())));
        }

        long durationMs() {
            return json.path("duration_ms").asLong();
        }

        BigDecimal price() {
            JsonNode price = json.path("delivery").path("price");
            return price.isNumber() ? price.decimalValue() : BigDecimal.ZERO;
        }
    }

    /** A (lead, buyer) pair's end and what it had. */
    record Offer(String leadId, String buyer, Event end, String outcome, Set<String> retriedReasons, int feedbackEvents,
            BigDecimal returned) {
    }

    private final List<Event> events = new ArrayList<>();
    private final List<Offer> offers = new ArrayList<>();
    private final ZoneId zone;
    private final LocalTime opens;
    private final LocalTime closes;
    private final Function<String, String> names;

    Recomputation(Connection db, ZoneId zone, LocalTime opens, LocalTime closes, Function<String, String> names) throws Exception {
        this.zone = zone;
        this.opens = opens;
        this.closes = closes;
        this.names = names;
        try (Statement sql = db.createStatement();
                ResultSet rs = sql.executeQuery("select seq, event::text from recipient_events order by seq")) {
            while (rs.next()) {
                JsonNode json = JSON.readTree(rs.getString(2));
                events.add(new Event(rs.getLong(1), json, json.path("event_type").asText(), json.path("lead_id").asText(),
                        json.path("recipient").path("id").asText(null), Instant.parse(json.path("timestamp").asText())));
            }
        }
        Map<String, List<Event>> pairs = new LinkedHashMap<>();
        for (Event e : events) {
            if (e.buyer() != null) {
                pairs.computeIfAbsent(e.leadId() + " " + e.buyer(), k -> new ArrayList<>()).add(e);
            }
        }
        for (List<Event> pair : pairs.values()) {
            List<Event> concluded = pair.stream().filter(Event::concluded).toList();
            if (concluded.isEmpty()) {
                continue;
            }
            Event end = concluded.get(concluded.size() - 1);
            Set<String> retried = new TreeSet<>();
            for (Event e : concluded.subList(0, concluded.size() - 1)) {
                if (e.type().equals("recipient.failed")) {
                    retried.add(e.category() + "|" + e.reason());
                }
            }
            String outcome = end.type().equals("recipient.delivered") ? "delivered"
                    : Set.of("business", "authentication").contains(end.category()) ? "refused" : "dead_lettered";
            List<Event> feedback = pair.stream().filter(e -> e.type().equals("recipient.feedback")).toList();
            BigDecimal returned = null;
            for (Event f : feedback) {
                JsonNode fb = f.json().path("feedback");
                if (returned == null && fb.path("type").asText().equals("return") && fb.path("accepted").asBoolean(false)) {
                    returned = fb.path("amount").isNumber() ? fb.path("amount").decimalValue() : end.price();
                }
            }
            offers.add(new Offer(end.leadId(), end.buyer(), end, outcome, retried, feedback.size(), returned));
        }
    }

    int eventCount() {
        return events.size();
    }

    // ---- the endpoints ----

    ObjectNode delivery(Instant from, Instant to, String buyer) {
        List<Offer> in = offers(from, to, buyer);
        ObjectNode body = JSON.createObjectNode();
        body.put("from", from.toString()).put("to", to.toString());
        long delivered = count(in, o -> o.outcome().equals("delivered"));
        body.put("offers", in.size()).put("delivered", delivered);
        rate(body, "delivery_rate", delivered, in.size());
        body.put("attempts", events(from, to, buyer, "recipient.delivery_attempt").size());
        ArrayNode buyers = body.putArray("by_buyer");
        for (String id : buyersWithEvents(from, to, buyer)) {
            List<Offer> own = in.stream().filter(o -> o.buyer().equals(id)).toList();
            long ownDelivered = count(own, o -> o.outcome().equals("delivered"));
            rate(named(buyers, id).put("offers", own.size()).put("delivered", ownDelivered), "delivery_rate", ownDelivered, own.size());
        }
        ObjectNode periods = body.putObject("by_period");
        for (String period : List.of("business_hours", "after_hours", "weekends")) {
            List<Offer> own = in.stream().filter(o -> period(o.end().at()).equals(period)).toList();
            long ownDelivered = count(own, o -> o.outcome().equals("delivered"));
            rate(periods.putObject(period).put("offers", own.size()).put("delivered", ownDelivered), "delivery_rate", ownDelivered, own.size());
        }
        return body;
    }

    ObjectNode failures(Instant from, Instant to, String buyer) {
        List<Event> failed = events(from, to, buyer, "recipient.failed");
        long total = failed.size();
        ObjectNode body = JSON.createObjectNode();
        body.put("from", from.toString()).put("to", to.toString()).put("failures", total);
        ArrayNode categories = body.putArray("by_category");
        counts(failed, Event::category).forEach((category, n) -> share(categories.addObject().put("category", category), n, total));
        ArrayNode reasons = body.putArray("by_reason");
        counts(failed, e -> e.category() + "|" + e.reason()).forEach((key, n) -> share(reasons.addObject()
                .put("category", key.split("\\|")[0]).put("reason", key.split("\\|")[1]), n, total));
        ArrayNode buyers = body.putArray("by_buyer");
        counts(failed, Event::buyer).forEach((id, n) -> share(named(buyers, id), n, total));
        ArrayNode hours = body.putArray("by_hour");
        for (int hour = 0; hour < 24; hour++) {
            int h = hour;
            share(hours.addObject().put("hour", hour), count(failed, e -> local(e.at()).getHour() == h), total);
        }
        ArrayNode weekdays = body.putArray("by_weekday");
        for (DayOfWeek day : DayOfWeek.values()) {
            share(weekdays.addObject().put("weekday", day.name().toLowerCase(Locale.ROOT)),
                    count(failed, e -> local(e.at()).getDayOfWeek() == day), total);
        }
        Set<Integer> hoursOfDay = new HashSet<>();
        for (Instant at = from; at.isBefore(to) && hoursOfDay.size() < 24; at = at.plusSeconds(60)) {
            hoursOfDay.add(local(at).getHour());
        }
        record Spike(String buyer, String category, String reason, int hour, long count, long total) {
        }
        List<Spike> spikes = new ArrayList<>();
        Map<String, Long> perBuyerReason = counts(failed, e -> e.buyer() + "|" + e.category() + "|" + e.reason());
        counts(failed, e -> e.buyer() + "|" + e.category() + "|" + e.reason() + "|" + local(e.at()).getHour()).forEach((key, n) -> {
            String[] p = key.split("\\|");
            long all = perBuyerReason.get(p[0] + "|" + p[1] + "|" + p[2]);
            double mean = (double) all / hoursOfDay.size();
            if (n >= 5 && n >= 3 * mean - 1e-9) {
                spikes.add(new Spike(p[0], p[1], p[2], Integer.parseInt(p[3]), n, all));
            }
        });
        spikes.sort(Comparator.comparingLong(Spike::count).reversed().thenComparing(Spike::buyer).thenComparing(Spike::reason)
                .thenComparingInt(Spike::hour));
        ArrayNode list = body.putArray("spikes");
        for (Spike s : spikes) {
            named(list, s.buyer()).put("category", s.category()).put("reason", s.reason()).put("hour", s.hour()).put("count", s.count())
                    .put("mean_per_hour", (double) s.total() / hoursOfDay.size());
        }
        return body;
    }

    ObjectNode responseTimes(Instant from, Instant to, String buyer) {
        List<Event> timed = concluded(from, to, buyer).stream().filter(Event::timed).toList();
        ObjectNode body = JSON.createObjectNode();
        body.put("from", from.toString()).put("to", to.toString());
        responseTimes(body, timed);
        ArrayNode buyers = body.putArray("by_buyer");
        for (String id : new TreeSet<>(timed.stream().map(Event::buyer).toList())) {
            responseTimes(named(buyers, id), timed.stream().filter(e -> e.buyer().equals(id)).toList());
        }
        return body;
    }

    private static void responseTimes(ObjectNode node, List<Event> timed) {
        node.put("count", timed.size());
        if (timed.isEmpty()) {
            node.putNull("mean_ms").putNull("p50_ms").putNull("p95_ms").putNull("p99_ms");
        } else {
            long[] sorted = timed.stream().mapToLong(Event::durationMs).sorted().toArray();
            node.put("mean_ms", (double) timed.stream().mapToLong(Event::durationMs).sum() / timed.size());
            for (double q : new double[] {0.50, 0.95, 0.99}) {
                long rank = Math.max(1, (long) Math.ceil(q * sorted.length));
                node.put("p" + Math.round(q * 100) + "_ms", (double) sorted[(int) rank - 1]);
            }
        }
        ObjectNode buckets = node.putObject("buckets");
        rate(buckets, "fast", count(timed, e -> e.durationMs() < 500), timed.size());
        rate(buckets, "normal", count(timed, e -> e.durationMs() >= 500 && e.durationMs() < 2000), timed.size());
        rate(buckets, "slow", count(timed, e -> e.durationMs() >= 2000 && e.durationMs() <= 5000), timed.size());
        rate(buckets, "very_slow", count(timed, e -> e.durationMs() > 5000), timed.size());
    }

    ObjectNode revenue(Instant from, Instant to, String buyer) {
        List<Offer> delivered = offers(from, to, buyer).stream().filter(o -> o.outcome().equals("delivered")).toList();
        BigDecimal revenue = sum(delivered, o -> o.end().price());
        BigDecimal returned = sum(delivered, o -> o.returned() == null ? BigDecimal.ZERO : o.returned());
        ObjectNode body = JSON.createObjectNode();
        body.put("from", from.toString()).put("to", to.toString());
        body.put("attempts", events(from, to, buyer, "recipient.delivery_attempt").size()).put("delivered", delivered.size());
        body.put("revenue", money(revenue));
        average(body, revenue, delivered.size());
        body.put("returned", money(returned)).put("net_revenue", money(revenue.subtract(returned)));
        ArrayNode buyers = body.putArray("by_buyer");
        for (String id : new TreeSet<>(delivered.stream().map(Offer::buyer).toList())) {
            List<Offer> own = delivered.stream().filter(o -> o.buyer().equals(id)).toList();
            BigDecimal ownRevenue = sum(own, o -> o.end().price());
            BigDecimal ownReturned = sum(own, o -> o.returned() == null ? BigDecimal.ZERO : o.returned());
            ObjectNode item = named(buyers, id).put("delivered", own.size()).put("revenue", money(ownRevenue));
            if (revenue.signum() == 0) {
                item.putNull("share");
            } else {
                item.put("share", ownRevenue.doubleValue() / revenue.doubleValue());
            }
            average(item, ownRevenue, own.size());
            item.put("returned", money(ownReturned)).put("net_revenue", money(ownRevenue.subtract(ownReturned)));
        }
        ArrayNode days = body.putArray("by_day");
        Set<String> dayNames = new TreeSet<>();
        for (Event e : events) {
            if (inRange(e, from, to, buyer) && isRolledUp(e)) {
                dayNames.add(local(e.at()).toLocalDate().toString());
            }
        }
        for (String day : dayNames) {
            List<Offer> own = delivered.stream().filter(o -> local(o.end().at()).toLocalDate().toString().equals(day)).toList();
            BigDecimal ownRevenue = sum(own, o -> o.end().price());
            BigDecimal ownReturned = sum(own, o -> o.returned() == null ? BigDecimal.ZERO : o.returned());
            days.addObject().put("day", day).put("delivered", own.size()).put("revenue", money(ownRevenue))
                    .put("returned", money(ownReturned)).put("net_revenue", money(ownRevenue.subtract(ownReturned)));
        }
        return body;
    }

    ArrayNode buyerScores(Instant from, Instant to, String buyer) {
        List<Offer> in = offers(from, to, buyer);
        Map<String, double[]> parts = new TreeMap<>();
        Map<String, BigDecimal> averages = new TreeMap<>();
        for (String id : new TreeSet<>(in.stream().map(Offer::buyer).toList())) {
            List<Offer> own = in.stream().filter(o -> o.buyer().equals(id)).toList();
            List<Offer> delivered = own.stream().filter(o -> o.outcome().equals("delivered")).toList();
            List<Event> timed = concluded(from, to, id).stream().filter(Event::timed).toList();
            double rate = (double) delivered.size() / own.size();
            Double meanMs = timed.isEmpty() ? null : (double) timed.stream().mapToLong(Event::durationMs).sum() / timed.size();
            double feedbackRate = delivered.isEmpty() ? 0 : (double) count(delivered, o -> o.feedbackEvents() > 0) / delivered.size();
            averages.put(id, delivered.isEmpty() ? null
                    : sum(delivered, o -> o.end().price()).divide(BigDecimal.valueOf(delivered.size()), 10, RoundingMode.HALF_UP));
            parts.put(id, new double[] {rate, meanMs == null ? -1 : meanMs, feedbackRate, own.size(), delivered.size(),
                    count(delivered, o -> o.feedbackEvents() > 0)});
        }
        BigDecimal highest = averages.values().stream().filter(a -> a != null).max(Comparator.naturalOrder()).orElse(null);
        record Scored(String id, int score) {
        }
        List<Scored> scored = new ArrayList<>();
        parts.forEach((id, p) -> {
            double speed = p[1] < 0 ? 0 : Math.max(0, 1 - p[1] / 1000 / 5);
            BigDecimal average = averages.get(id);
            double price = average == null || highest == null || highest.signum() == 0 ? 0 : average.doubleValue() / highest.doubleValue();
            scored.add(new Scored(id, (int) Math.round(40 * p[0] + 20 * speed + 25 * price + 15 * p[2])));
        });
        scored.sort(Comparator.comparingInt(Scored::score).reversed().thenComparing(Scored::id));
        ArrayNode list = JSON.createArrayNode();
        for (Scored s : scored) {
            double[] p = parts.get(s.id());
            ObjectNode item = named(list, s.id()).put("score", s.score());
            rate(item, "delivery_rate", (long) p[4], (long) p[3]);
            if (p[1] < 0) {
                item.putNull("mean_response_ms");
            } else {
                item.put("mean_response_ms", p[1]);
            }
            BigDecimal revenue = in.stream().filter(o -> o.buyer().equals(s.id()) && o.outcome().equals("delivered"))
                    .map(o -> o.end().price()).reduce(BigDecimal.ZERO, BigDecimal::add);
            average(item, revenue, (long) p[4]);
            rate(item, "feedback_rate", (long) p[5], (long) p[4]);
        }
        return list;
    }

    ObjectNode retries(Instant from, Instant to, String buyer) {
        List<Offer> in = offers(from, to, buyer);
        ObjectNode body = JSON.createObjectNode();
        body.put("from", from.toString()).put("to", to.toString()).put("offers", in.size());
        ArrayNode attempts = body.putArray("by_attempt");
        counts(in.stream().filter(o -> o.outcome().equals("delivered")).toList(),
                o -> String.format(Locale.ROOT, "%09d", o.end().json().path("metadata").path("attempt_number").asInt()))
                .forEach((attempt, n) -> rate(attempts.addObject().put("attempt", Integer.parseInt(attempt)).put("delivered", n),
                        "share", n, in.size()));
        ArrayNode reasons = body.putArray("by_reason");
        Map<String, long[]> byReason = new TreeMap<>();
        for (Offer o : in) {
            for (String reason : o.retriedReasons()) {
                long[] counts = byReason.computeIfAbsent(reason, r -> new long[2]);
                counts[0]++;
                counts[1] += o.outcome().equals("delivered") ? 1 : 0;
            }
        }
        byReason.forEach((key, n) -> rate(reasons.addObject().put("category", key.split("\\|")[0]).put("reason", key.split("\\|")[1])
                .put("retried", n[0]).put("recovered", n[1]), "recovery_rate", n[1], n[0]));
        return body;
    }

    // ---- helpers ----

    private List<Offer> offers(Instant from, Instant to, String buyer) {
        return offers.stream().filter(o -> !o.end().at().isBefore(from) && o.end().at().isBefore(to)
                && (buyer == null || buyer.equals(o.buyer()))).toList();
    }

    private boolean inRange(Event e, Instant from, Instant to, String buyer) {
        return e.buyer() != null && !e.at().isBefore(from) && e.at().isBefore(to) && (buyer == null || buyer.equals(e.buyer()));
    }

    /** The events the rollups keep a row for: attempts and outcomes. */
    private static boolean isRolledUp(Event e) {
        return e.type().equals("recipient.delivery_attempt") || e.concluded();
    }

    private List<Event> events(Instant from, Instant to, String buyer, String type) {
        return events.stream().filter(e -> e.type().equals(type) && inRange(e, from, to, buyer)).toList();
    }

    private List<Event> concluded(Instant from, Instant to, String buyer) {
        return events.stream().filter(e -> e.concluded() && inRange(e, from, to, buyer)).toList();
    }

    private Set<String> buyersWithEvents(Instant from, Instant to, String buyer) {
        Set<String> ids = new TreeSet<>();
        events.stream().filter(e -> isRolledUp(e) && inRange(e, from, to, buyer)).forEach(e -> ids.add(e.buyer()));
        return ids;
    }

    private ZonedDateTime local(Instant at) {
        return ZonedDateTime.ofInstant(at, zone);
    }

    private String period(Instant at) {
        ZonedDateTime local = local(at);
        if (local.getDayOfWeek() == DayOfWeek.SATURDAY || local.getDayOfWeek() == DayOfWeek.SUNDAY) {
            return "weekends";
        }
        LocalTime time = local.toLocalTime();
        return !time.isBefore(opens) && time.isBefore(closes) ? "business_hours" : "after_hours";
    }

    private ObjectNode named(ArrayNode list, String id) {
        return list.addObject().put("recipient_id", id).put("name", names.apply(id));
    }

    private static <T> long count(List<T> items, Predicate<T> which) {
        return items.stream().filter(which).count();
    }

    private static <T> Map<String, Long> counts(List<T> items, Function<T, String> key) {
        Map<String, Long> counts = new TreeMap<>();
        items.forEach(i -> counts.merge(key.apply(i), 1L, Long::sum));
        return counts;
    }

    private static <T> BigDecimal sum(List<T> items, Function<T, BigDecimal> amount) {
        return items.stream().map(amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static void rate(ObjectNode node, String field, long part, long whole) {
        if (whole == 0) {
            node.putNull(field);
        } else {
            node.put(field, (double) part / whole);
        }
    }

    private static void share(ObjectNode node, long count, long total) {
        node.put("count", count);
        rate(node, "share", count, total);
    }

    private static void average(ObjectNode node, BigDecimal revenue, long delivered) {
        if (delivered == 0) {
            node.putNull("average_price");
        } else {
            node.put("average_price", revenue.divide(BigDecimal.valueOf(delivered), 2, RoundingMode.HALF_UP));
        }
    }

    private static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.HALF_UP);
    }
}
