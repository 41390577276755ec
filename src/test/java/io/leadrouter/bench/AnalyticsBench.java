package io.leadrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.analytics.AnalyticsCalendar;
import io.leadrouter.analytics.AnalyticsQueries;
import io.leadrouter.analytics.AnalyticsRange;
import io.leadrouter.analytics.AnalyticsRollups;
import io.leadrouter.analytics.BackfillCommand;
import io.leadrouter.config.Migrations;
import io.leadrouter.events.EventStore;
import io.leadrouter.support.Json;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The analytics against a large table: writes {@code bench.events} realistic events (default ten
 * million) over {@code bench.days} days (30) for {@code bench.buyers} buyers (20) through the
 * router's own event store (one statement per batch of 1,000, two writers as the router has; the rollups
 * drained beside them as the router drains them), then times every analytics query over the whole range, all buyers and one,
 * and the backfill. Prints the figures; asserts nothing (the figures' exactness is AnalyticsTest's).
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.leadrouter.bench.AnalyticsBench
 * </pre>
 */
public final class AnalyticsBench {

    private static final String[][] FAILURES = {
        {"technical", "Timeout"}, {"technical", "Server Error"}, {"technical", "Connection Refused"},
        {"business", "Duplicate Lead"}, {"business", "Invalid Data"}, {"business", "Cap Reached"}, {"business", "Rejected"},
        {"authentication", "Invalid Credentials"}};

    private AnalyticsBench() {
    }

    public static void main(String... args) throws Exception {
        long events = Long.getLong("bench.events", 10_000_000L);
        int days = Integer.getInteger("bench.days", 30);
        int buyers = Integer.getInteger("bench.buyers", 20);
        int runs = Integer.getInteger("bench.queryRuns", 40);
        // bench.jdbcUrl: an existing database (migrated here; its events kept unless bench.events > 0); bench.backfill=false
        // to leave its rollups as they are (the backfill rebuilds them from its events)
        String jdbcUrl = System.getProperty("bench.jdbcUrl", "");
        Path root = Files.createTempDirectory("lead-router-analytics-bench");
        EmbeddedPostgres postgres = jdbcUrl.isEmpty() ? EmbeddedPostgres.builder().setDataDirectory(root).setCleanDataDirectory(true)
                .setServerConfig("shared_buffers", "1GB").setServerConfig("max_wal_size", "4GB").start() : null;
        try {
            DataSource database = postgres != null ? postgres.getPostgresDatabase() : external(jdbcUrl);
            Migrations.apply(database, "postgres");
            if (System.getProperty("bench.analytics", "on").equals("off")) {
                execute(database, "alter table recipient_events disable trigger recipient_events_to_analytics");
            }
            Instant to = AnalyticsCalendar.quarterHourAtOrAfter(Instant.now());
            Instant from = to.minus(Duration.ofDays(days));

            if (events > 0) {
                // the rollups drained as the router does (every 500 ms, 5,000 events a transaction) while the events are written
                AnalyticsRollups rollups = new AnalyticsRollups(database, 5000);
                java.util.concurrent.ScheduledExecutorService drainer = Executors.newSingleThreadScheduledExecutor();
                AtomicLong drainNanos = new AtomicLong();
                AtomicLong drained = new AtomicLong();
                drainer.scheduleWithFixedDelay(() -> {
                    long start = System.nanoTime();
                    drained.addAndGet(rollups.drain());
                    drainNanos.addAndGet(System.nanoTime() - start);
                }, 500, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
                long started = System.nanoTime();
                long written = generate(database, events, from, to, buyers, days);
                double seconds = (System.nanoTime() - started) / 1e9;
                drainer.shutdown();
                drainer.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS);
                long queued = single(database, "select count(*) from analytics_queue");
                long drainStarted = System.nanoTime();
                rollups.drain();
                System.out.printf(Locale.ROOT, "[analytics-bench] wrote %,d events (%d days, %d buyers) through EventStore, rollups %s,"
                        + " in %.0f s: %.0f events/s; %,d still queued at the end, drained in %.1f s%n", written, days, buyers,
                        System.getProperty("bench.analytics", "on"), seconds, written / seconds, queued, (System.nanoTime() - drainStarted) / 1e9);
                System.out.printf(Locale.ROOT, "[analytics-bench] while writing, the drain added %,d events in %.1f s of its own: %.1f µs an event%n",
                        drained.get(), drainNanos.get() / 1e9, drained.get() == 0 ? 0 : drainNanos.get() / 1e3 / drained.get());
                execute(database, "vacuum analyze");
            }
            printSizes(database);

            AnalyticsQueries queries = new AnalyticsQueries(database, AnalyticsCalendar.of("America/New_York", "09:00-17:00"), id -> "Buyer " + id);
            AnalyticsRange all = new AnalyticsRange(from, to, Optional.empty());
            AnalyticsRange one = new AnalyticsRange(from, to, Optional.of(buyerId(7)));
            System.out.printf(Locale.ROOT, "[analytics-bench] %d runs each (after 5 warm-up runs), %s to %s, time zone America/New_York:%n",
                    runs, from, to);
            System.out.printf(Locale.ROOT, "%-16s %-8s %8s %8s %8s %8s%n", "endpoint", "buyers", "p50 ms", "p95 ms", "max ms", "bytes");
            for (String endpoint : List.of("delivery", "failures", "response-times", "revenue", "buyer-scores", "retries")) {
                for (AnalyticsRange range : List.of(all, one)) {
                    time(endpoint, range, queries, runs);
                }
            }
            if (Boolean.parseBoolean(System.getProperty("bench.backfill", "true"))) {
                JsonNode before = queries.revenue(all);
                long backfillStarted = System.nanoTime();
                long read = BackfillCommand.backfill(database);
                System.out.printf(Locale.ROOT, "[analytics-bench] backfill: %,d events in %.0f s; revenue answer unchanged after it: %s%n",
                        read, (System.nanoTime() - backfillStarted) / 1e9, before.equals(queries.revenue(all)));
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
            BenchServices.deleteRecursively(root);
        }
    }

    private static DataSource external(String jdbcUrl) {
        org.postgresql.ds.PGSimpleDataSource database = new org.postgresql.ds.PGSimpleDataSource();
        database.setUrl(jdbcUrl);
        database.setUser("postgres");
        return database;
    }

    private static void time(String endpoint, AnalyticsRange range, AnalyticsQueries queries, int runs) throws Exception {
        long[] nanos = new long[runs];
        int bytes = 0;
        for (int i = -5; i < runs; i++) {
            long start = System.nanoTime();
            JsonNode answer = switch (endpoint) {
                case "delivery" -> queries.delivery(range);
                case "failures" -> queries.failures(range);
                case "response-times" -> queries.responseTimes(range);
                case "revenue" -> queries.revenue(range);
                case "buyer-scores" -> queries.buyerScores(range);
                default -> queries.retries(range);
            };
            bytes = Json.MAPPER.writeValueAsBytes(answer).length; // as the endpoint writes it
            if (i >= 0) {
                nanos[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%-16s %-8s %8.1f %8.1f %8.1f %8d%n", endpoint, range.recipientId().isPresent() ? "one" : "all",
                nanos[runs / 2] / 1e6, nanos[(int) Math.ceil(runs * 0.95) - 1] / 1e6, nanos[runs - 1] / 1e6, bytes);
    }

    /**
     * Offers spread over the range (busier in the daytime), each: an attempt, sometimes a technical failure
     * and a retry, then delivered (most), refused or dead-lettered; a tenth of the deliveries get feedback.
     * Buyers differ in delivery rate, speed and price. Two writers, as the router's event writer has.
     */
    private static long generate(DataSource database, long events, Instant from, Instant to, int buyers, int days) throws Exception {
        int writers = 2;
        AtomicLong written = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        long span = Duration.between(from, to).toMillis();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                EventStore store = new EventStore(database, Json.MAPPER);
                Random random = new Random(writer);
                List<ObjectNode> batch = new ArrayList<>(1100);
                long offers = 0;
                // each writer takes every other slice of time, in order, as the router writes events as they happen
                while (written.get() < events) {
                    long slice = offers++ * writers + writer;
                    Instant at = from.plusMillis((long) (span * fractionOfRange(slice, events / 2.3, days, random)));
                    if (!at.isBefore(to)) {
                        break;
                    }
                    offer(batch, "lead_" + String.format("%016d", slice), buyerId(random.nextInt(buyers)), at, random);
                    if (batch.size() >= 1000) {
                        store.appendAll(batch);
                        long total = written.addAndGet(batch.size());
                        if (total / 1_000_000 != (total - batch.size()) / 1_000_000) {
                            System.out.printf(Locale.ROOT, "[analytics-bench] %,d events%n", total);
                        }
                        batch.clear();
                    }
                }
                if (!batch.isEmpty()) {
                    store.appendAll(batch);
                    written.addAndGet(batch.size());
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        return written.get();
    }

    /** Where the n-th of about {@code total} offers falls in the range, more of them by day than by night. */
    private static double fractionOfRange(long n, double total, int days, Random random) {
        double even = Math.min(0.999_999, n / total);
        double day = Math.floor(even * days);
        double withinDay = even * days - day;
        // a sine-shaped day: the density peaks at mid-day
        double shaped = withinDay - 0.1 * Math.sin(2 * Math.PI * withinDay) + random.nextDouble() * 1e-6;
        return Math.min(0.999_999, (day + Math.max(0, Math.min(0.999_999, shaped))) / days);
    }

    private static String buyerId(int n) {
        return String.format("rcp_Bench%07d", n);
    }

    private static void offer(List<ObjectNode> batch, String leadId, String buyer, Instant at, Random random) {
        int b = Integer.parseInt(buyer.substring(9));
        double deliveryRate = 0.70 + 0.27 * (b % 10) / 9.0;
        long typicalMs = 150 + 180L * (b % 7);
        BigDecimal price = BigDecimal.valueOf(1500 + 250L * (b % 12), 2);
        int attempt = 1;
        Instant t = at;
        if (random.nextDouble() < 0.06) {
            batch.add(attempt(leadId, buyer, t, attempt, price));
            String[] failure = FAILURES[random.nextInt(3)];
            batch.add(failed(leadId, buyer, t.plusMillis(typicalMs), attempt++, failure, typicalMs, false));
            t = t.plusSeconds(2);
        }
        batch.add(attempt(leadId, buyer, t, attempt, price));
        long duration = Math.max(5, (long) (typicalMs * Math.exp(random.nextGaussian() * 0.6)));
        double draw = random.nextDouble();
        if (draw < deliveryRate) {
            ObjectNode delivered = concluded("recipient.delivered", leadId, buyer, t.plusMillis(duration), duration, attempt, true);
            delivered.putObject("delivery").put("method", "HTTP POST").put("url", "https://api.buyer.example/leads").put("price", price)
                    .put("margin", price.subtract(BigDecimal.TEN));
            ObjectNode response = delivered.putObject("response").put("status_code", 200);
            response.putObject("body").put("result", "accepted").put("lead_id", "b-" + leadId.substring(5)).put("payout", price);
            response.putObject("parsed").put("buyer_lead_id", "b-" + leadId.substring(5)).put("acceptance", true);
            batch.add(delivered);
            if (random.nextDouble() < 0.1) {
                ObjectNode feedback = header("recipient.feedback", leadId, buyer, t.plus(Duration.ofHours(2)));
                feedback.putObject("feedback").put("type", random.nextBoolean() ? "return" : "conversion").putNull("reason")
                        .putNull("amount").put("accepted", true).putNull("refusal");
                feedback.putObject("metadata");
                batch.add(feedback);
            }
        } else if (draw < deliveryRate + 0.01) {
            batch.add(failed(leadId, buyer, t.plusMillis(3), attempt, FAILURES[2], 3, true));
        } else {
            batch.add(failed(leadId, buyer, t.plusMillis(duration), attempt, FAILURES[3 + random.nextInt(5)], duration, true));
        }
    }

    private static ObjectNode header(String type, String leadId, String buyer, Instant at) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("event_id", UUID.randomUUID().toString()).put("event_type", type).put("timestamp", at.toString()).put("lead_id", leadId);
        event.putObject("recipient").put("id", buyer).put("name", "Buyer " + buyer).put("type", "buyer");
        return event;
    }

    private static ObjectNode attempt(String leadId, String buyer, Instant at, int attempt, BigDecimal price) {
        ObjectNode event = header("recipient.delivery_attempt", leadId, buyer, at);
        event.putObject("delivery_plan").put("price", price).put("exclusive", false).put("priority", 1).put("timeout", 30000);
        event.putObject("lead_snapshot").put("score", 85).put("age_minutes", 0.1).put("enhancements_complete", true);
        metadata(event, attempt);
        return event;
    }

    private static ObjectNode concluded(String type, String leadId, String buyer, Instant at, long duration, int attempt, boolean isFinal) {
        ObjectNode event = header(type, leadId, buyer, at);
        event.put("outcome", type.equals("recipient.delivered") ? "success" : "failed").put("duration_ms", duration);
        metadata(event, attempt).put("final", isFinal);
        return event;
    }

    private static ObjectNode failed(String leadId, String buyer, Instant at, int attempt, String[] failure, long duration, boolean isFinal) {
        ObjectNode event = concluded("recipient.failed", leadId, buyer, at, duration, attempt, isFinal);
        event.putObject("failure").put("reason", failure[1]).put("category", failure[0]).put("details", failure[1] + " at the buyer")
                .put("retry_eligible", failure[0].equals("technical"));
        event.putObject("delivery").put("method", "HTTP POST").put("url", "https://api.buyer.example/leads").put("attempted_price", 20.00);
        if (!failure[1].equals("Connection Refused")) {
            event.putObject("response").put("status_code", failure[1].equals("Timeout") ? null : 200);
        }
        return event;
    }

    private static ObjectNode metadata(ObjectNode event, int attempt) {
        return event.putObject("metadata").put("attempt_number", attempt).put("total_attempts", 3)
                .put("first_attempt", event.path("timestamp").asText()).put("integration", "generic_http").put("buyer_tier", "standard")
                .put("idempotency_key", UUID.randomUUID().toString());
    }

    private static void execute(DataSource database, String sql) throws Exception {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long single(DataSource database, String sql) throws Exception {
        try (Connection c = database.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void printSizes(DataSource database) throws Exception {
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        select relname, pg_size_pretty(pg_total_relation_size(oid)), reltuples::bigint from pg_class
                        where relname in ('recipient_events', 'analytics_offers', 'analytics_rollup', 'analytics_reasons', 'analytics_failure_days',
                            'analytics_delivered_at', 'analytics_sketch_days') order by relname""")) {
            while (rs.next()) {
                System.out.printf(Locale.ROOT, "[analytics-bench] %-24s %10s %,14d rows%n", rs.getString(1), rs.getString(2), rs.getLong(3));
            }
        }
    }
}
