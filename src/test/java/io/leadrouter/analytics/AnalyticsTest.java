package io.leadrouter.analytics;

import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.events.EventStore;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every figure of the six analytics endpoints against {@link Recomputation}, a plain recomputation
 * from the raw events: a mixed run through real buyers (delivered, each failure category, retries
 * that recover, dead letters, returns, conversions, refused feedback), and events of March and
 * November 2026 written through the router's event store, across New York's period boundaries and
 * both daylight-saving changes; again after a backfill, and after a restart with more leads.
 */
class AnalyticsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reads amounts as written: 45.50 keeps its two decimals. */
    private static final ObjectMapper EXACT = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true)).build();
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final String OK = "{\"result\":\"accepted\",\"lead_id\":\"b-1\",\"payout\":%s}";
    private static final List<String> ENDPOINTS = List.of("delivery", "failures", "response-times", "revenue", "buyer-scores", "retries");

    private final List<StubBuyer> stubs = new ArrayList<>();
    private RouterUnderTest router;
    private Map<String, String> names;

    @BeforeEach
    void start() throws Exception {
        router = newRouter(RouterUnderTest.builder());
        StubBuyer premier = stub(IntStream.range(0, 40).mapToObj(i -> switch (i % 6) {
            case 1 -> Reply.json(500, "{\"error\":\"busy\"}");
            case 3 -> Reply.after(Duration.ofMillis(600), Reply.json(200, OK.formatted("45.00")));
            case 5 -> Reply.after(Duration.ofMillis(2100), Reply.json(200, OK.formatted("52.25")));
            default -> Reply.json(200, OK.formatted("45.00"));
        }).toArray(Reply[]::new));
        StubBuyer budget = stub(IntStream.range(0, 40).mapToObj(i -> switch (i % 3) {
            case 0 -> Reply.json(200, OK.formatted("20.00"));
            case 1 -> Reply.json(200, "{\"result\":\"rejected\",\"message\":\"lead seen before\"}");
            default -> Reply.json(200, "{\"result\":\"rejected\",\"message\":\"not interested\"}");
        }).toArray(Reply[]::new));
        StubBuyer locked = stub(Reply.json(401, "{\"error\":\"bad key\"}"));
        StubBuyer down = stub(Reply.json(503, "{\"error\":\"maintenance\"}"));
        StubBuyer slow = stub(IntStream.range(0, 40).mapToObj(i -> i % 4 == 0
                ? Reply.after(Duration.ofMillis(1500), Reply.json(200, OK.formatted("30.50")))
                : Reply.json(200, OK.formatted("30.50"))).toArray(Reply[]::new));
        router.installBuyer("premier.yaml", "rcp_Premier01", BuyerFiles.jsonBuyer("rcp_Premier01", "Premier", premier.url("/leads"), 1, false, 3));
        router.installBuyer("budget.yaml", "rcp_Budget001", BuyerFiles.jsonBuyer("rcp_Budget001", "Budget", budget.url("/leads"), 1, false, 3)
                + "  reasons:\n    - contains: seen before\n      reason: Duplicate Lead\n"
                + "feedback:\n  return_reasons: [Duplicate, Bad phone]\n  max_return_rate: 0.5\n");
        router.installBuyer("locked.yaml", "rcp_Locked001", BuyerFiles.jsonBuyer("rcp_Locked001", "Locked", locked.url("/leads"), 2, false, 3));
        router.installBuyer("down.yaml", "rcp_Down00001", BuyerFiles.neverOpening(
                BuyerFiles.jsonBuyer("rcp_Down00001", "Down", down.url("/leads"), 2, false, 2)));
        router.installBuyer("slow.yaml", "rcp_Slow00001", BuyerFiles.jsonBuyer("rcp_Slow00001", "Slow", slow.url("/leads"), 3, false, 3)
                .replace("timeout_ms: 1500", "timeout_ms: 400") + "feedback:\n  return_window_days: 0\n");
        names = Map.of("rcp_Premier01", "Premier", "rcp_Budget001", "Budget", "rcp_Locked001", "Locked",
                "rcp_Down00001", "Down", "rcp_Slow00001", "Slow");
    }

    @AfterEach
    void stop() {
        router.close();
        stubs.forEach(StubBuyer::close);
    }

    @Test
    void everyFigureEqualsARecomputationFromTheRawEvents() throws Exception {
        List<String> leads = routeLeads(12);
        replayADeadLetter();
        giveFeedback(leads);
        writeEventsOfMarchAndNovember(new EventStore(dataSource(), JSON));

        Instant end = AnalyticsCalendar.quarterHourAtOrAfter(Instant.now()).plus(Duration.ofMinutes(15));
        List<Instant[]> ranges = List.of(
                range("2026-03-01T00:00:00Z", end), // everything
                new Instant[] {end.minus(Duration.ofHours(2)), end}, // the live run
                range("2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"), // New York's 23-hour day (clocks forward)
                range("2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"), // its 25-hour day (clocks back)
                range("2026-11-01T05:00:00Z", "2026-11-01T06:15:00Z"), // 01:00-01:59 EDT and the first quarter of 01:00 EST
                range("2026-03-06T21:30:00Z", "2026-03-06T22:30:00Z"), // Friday 16:30-17:30: business hours end
                range("2026-03-09T13:00:00Z", "2026-03-09T14:15:00Z"), // Monday 09:00-10:15 EDT
                range("2026-03-02T00:00:00Z", "2026-03-09T00:00:00Z")); // a week with a weekend
        assertEveryFigure(ranges, List.of("rcp_Premier01", "rcp_Synth0001"));

        long read = BackfillCommand.backfill(dataSource());
        assertEquals(router.count("select count(*) from recipient_events"), read);
        assertEveryFigure(ranges, List.of("rcp_Budget001"));

        router.close();
        router = newRouter(RouterUnderTest.builder().sameStorageAs(router));
        routeLeads(4);
        assertEveryFigure(List.of(range("2026-03-01T00:00:00Z", end), new Instant[] {end.minus(Duration.ofHours(2)), end}),
                List.of("rcp_Down00001"));
    }

    @Test
    void theDefaultRangeIsTheLast24HoursToTheEndOfTheCurrentQuarterHour() throws Exception {
        routeLeads(3);
        awaitRollups();
        JsonNode answer = answer("/analytics/delivery");
        Instant to = Instant.parse(answer.path("to").asText());
        Instant from = Instant.parse(answer.path("from").asText());
        assertEquals(AnalyticsCalendar.quarterHourAtOrAfter(Instant.now()), to);
        assertEquals(Duration.ofHours(24), Duration.between(from, to));
        assertTrue(answer.path("offers").asLong() >= 3 * 5 - 5, answer.toString()); // 3 leads, 5 buyers
        assertSame(recomputation().delivery(from, to, null), answer, "default range");
    }

    @Test
    void eventsTheRollupsCannotTakeAreStoredAndTheAnswersSaySoUntilABackfill() throws Exception {
        routeLeads(2);
        try (Connection db = router.connect(); java.sql.Statement sql = db.createStatement()) {
            // a fault in the rollups' SQL, as a bad release could bring
            sql.execute("alter function analytics_record(recipient_events[]) rename to analytics_record_kept");
            sql.execute("create function analytics_record(batch recipient_events[]) returns void language plpgsql as"
                    + " $$ begin raise exception 'rollup fault'; end; $$");
            try {
                awaitRollups();
                List<String> leads = routeLeads(3);
                // every lead went to every buyer, its events all stored
                leads.forEach(lead -> assertEquals(names.keySet(), router.events(lead).findValuesAsText("id").stream()
                        .filter(names::containsKey).collect(Collectors.toSet()), lead));
                leads.forEach(lead -> assertTrue(RouterUnderTest.count(router.events(lead), "recipient.delivered") >= 1, lead));
                awaitRollups(); // taken off the queue, into analytics_gaps
            } finally {
                sql.execute("drop function analytics_record(recipient_events[])");
                sql.execute("alter function analytics_record_kept(recipient_events[]) rename to analytics_record");
            }
        }
        assertTrue(router.count("select coalesce(sum(events), 0) from analytics_gaps") > 0);
        HttpResponse<String> incomplete = router.get("/analytics/delivery");
        assertEquals(200, incomplete.statusCode());
        String warning = incomplete.headers().firstValue("X-Analytics-Incomplete").orElse("");
        assertTrue(warning.contains("events missed since") && warning.contains("rollup fault") && warning.endsWith("run BackfillCommand"),
                warning);

        BackfillCommand.backfill(dataSource());
        awaitRollups();
        HttpResponse<String> complete = router.get("/analytics/delivery");
        assertTrue(complete.headers().firstValue("X-Analytics-Incomplete").isEmpty(), complete.headers().toString());
        JsonNode answer = answer("/analytics/delivery");
        assertSame(recomputation().delivery(Instant.parse(answer.path("from").asText()), Instant.parse(answer.path("to").asText()), null),
                answer, "after the backfill");
    }

    @Test
    void aWrongParameterIsRefusedNamingIt() {
        Map<String, String> refused = Map.of(
                "from=yesterday", "from: 'yesterday' is not an ISO-8601 instant",
                "from=2026-12-01T10:07:00Z", "from: '2026-12-01T10:07:00Z' is not on a quarter hour",
                "to=2026-12-01T10:00:00.5Z", "to: '2026-12-01T10:00:00.500Z' is not on a quarter hour",
                "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z", "from: '2026-12-02T00:00:00Z' is not before to",
                "from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z", "from: '2026-12-01T00:00:00Z' is not before to",
                "from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from: the range from 2024-01-01T00:00:00Z to 2026-01-01T00:00:00Z is longer than the 400 days",
                "recipient_id=rcp_Nobody", "recipient_id: no buyer 'rcp_Nobody' is configured or has figures");
        for (String endpoint : ENDPOINTS) {
            refused.forEach((query, message) -> {
                HttpResponse<String> answer = router.get("/analytics/" + endpoint + "?" + query);
                assertEquals(400, answer.statusCode(), endpoint + "?" + query + ": " + answer.body());
                assertTrue(RouterUnderTest.read(answer.body()).path("error").asText().startsWith(message), answer.body());
            });
        }
        // a configured buyer with no figures yet is not unknown
        assertEquals(200, router.get("/analytics/delivery?recipient_id=rcp_Locked001").statusCode());
    }

    // ---- the run ----

    private RouterUnderTest newRouter(RouterUnderTest.Builder builder) throws Exception {
        return builder.property("leadrouter.analytics.time-zone", "America/New_York").start();
    }

    private StubBuyer stub(Reply... replies) {
        StubBuyer stub = StubBuyer.answering(replies);
        stubs.add(stub);
        return stub;
    }

    private List<String> routeLeads(int count) {
        List<String> leads = IntStream.range(0, count).mapToObj(i -> router.postLead(SAMPLE_LEAD)).toList();
        leads.forEach(router::awaitCompleted);
        return leads;
    }

    /** The lead's offer to Down ends again (dead-lettered again): the later end is the one that counts. */
    private void replayADeadLetter() {
        JsonNode pending = RouterUnderTest.read(router.get("/dead-letters").body());
        JsonNode down = null;
        for (JsonNode letter : pending) {
            if (letter.path("recipient_id").asText().equals("rcp_Down00001")) {
                down = letter;
            }
        }
        assertTrue(down != null, pending.toString());
        String leadId = down.path("lead_id").asText();
        assertEquals(202, router.post("/dead-letters/" + down.path("id").asLong() + "/replay", "application/json", "").statusCode());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> router.count(
                "select count(*) from dead_letters where recipient_id = 'rcp_Down00001' and lead_id = '" + leadId + "'") == 2);
        assertEquals(2, router.count("select count(*) from recipient_events where event_type = 'recipient.failed'"
                + " and recipient_id = 'rcp_Down00001' and lead_id = '" + leadId + "' and (event -> 'metadata' ->> 'final')::boolean"));
    }

    /** Returns, a conversion and refused returns, through the API: each answer as the rules say. */
    private void giveFeedback(List<String> leads) {
        String operate = router.newKey("operate");
        List<String> premier = deliveredTo("rcp_Premier01", leads);
        assertTrue(premier.size() >= 4, "Premier took " + premier);
        assertFeedback(201, operate, premier.get(0), "{\"recipient_id\":\"rcp_Premier01\",\"type\":\"return\",\"reason\":\"Bad phone\"}");
        assertFeedback(201, operate, premier.get(1), "{\"recipient_id\":\"rcp_Premier01\",\"type\":\"return\",\"amount\":10.5}");
        assertFeedback(201, operate, premier.get(2), "{\"recipient_id\":\"rcp_Premier01\",\"type\":\"conversion\",\"amount\":120}");
        assertFeedback(409, operate, premier.get(0), "{\"recipient_id\":\"rcp_Premier01\",\"type\":\"return\"}");
        assertFeedback(201, operate, premier.get(0), "{\"recipient_id\":\"rcp_Premier01\",\"type\":\"conversion\"}");
        List<String> budget = deliveredTo("rcp_Budget001", leads);
        assertTrue(budget.size() >= 2, "Budget took " + budget);
        assertFeedback(422, operate, budget.get(0), "{\"recipient_id\":\"rcp_Budget001\",\"type\":\"return\",\"reason\":\"Too old\"}");
        assertFeedback(201, operate, budget.get(0), "{\"recipient_id\":\"rcp_Budget001\",\"type\":\"return\",\"reason\":\"Duplicate\"}");
        List<String> slow = deliveredTo("rcp_Slow00001", leads);
        assertFeedback(422, operate, slow.get(0), "{\"recipient_id\":\"rcp_Slow00001\",\"type\":\"return\"}");
    }

    private void assertFeedback(int status, String key, String leadId, String body) {
        HttpResponse<String> answer = router.call("POST", "/leads/" + leadId + "/feedback", key, "application/json", body);
        assertEquals(status, answer.statusCode(), body + " → " + answer.body());
    }

    private List<String> deliveredTo(String buyer, List<String> leads) {
        return router.texts("select lead_id from recipient_events where event_type = 'recipient.delivered' and recipient_id = '"
                + buyer + "' order by seq").stream().filter(leads::contains).toList();
    }

    /**
     * Leads of two buyers no file declares, every quarter hour over the days around both of New York's
     * clock changes and a Friday-to-Monday, their outcomes drawn from a seeded random: delivered at the
     * first or second attempt, refused, dead-lettered, with returns (whole and partial), conversions,
     * refused returns; and a burst of timeouts at 14:00 every day (a spike).
     */
    private void writeEventsOfMarchAndNovember(EventStore store) throws Exception {
        Random random = new Random(15);
        List<ObjectNode> events = new ArrayList<>();
        List<Instant[]> windows = List.of(range("2026-03-06T18:00:00Z", "2026-03-10T06:00:00Z"),
                range("2026-10-31T18:00:00Z", "2026-11-02T12:00:00Z"));
        int n = 0;
        for (Instant[] window : windows) {
            for (Instant at = window[0]; at.isBefore(window[1]); at = at.plus(Duration.ofMinutes(15))) {
                for (String buyer : List.of("rcp_Synth0001", "rcp_Synth0002")) {
                    Instant t = at.plusSeconds(random.nextInt(900));
                    events.addAll(syntheticOffer("lead_Synth" + String.format("%011d", n++), buyer, t, random,
                            at.atZone(NEW_YORK).getHour() == 14));
                }
            }
        }
        for (int i = 0; i < events.size(); i += 500) {
            store.appendAll(events.subList(i, Math.min(events.size(), i + 500)));
        }
    }

    private static List<ObjectNode> syntheticOffer(String leadId, String buyer, Instant at, Random random, boolean spikeHour) {
        List<ObjectNode> events = new ArrayList<>();
        int draw = random.nextInt(10);
        BigDecimal price = BigDecimal.valueOf(1000 + random.nextInt(5000), 2);
        int attempt = 1;
        Instant t = at;
        if (spikeHour || draw == 7) { // a timeout first, then a retry
            events.add(attempt(leadId, buyer, t, attempt, 3));
            events.add(failed(leadId, buyer, t.plusMillis(400), attempt++, 3, "Timeout", "technical", 400, null, false));
            t = t.plusSeconds(2);
        }
        events.add(attempt(leadId, buyer, t, attempt, 3));
        long duration = List.of(120L, 480L, 500L, 1999L, 2000L, 5000L, 5001L, 60L).get(random.nextInt(8));
        if (draw <= 5) {
            ObjectNode delivered = concluded("recipient.delivered", leadId, buyer, t.plusMillis(duration), duration, attempt, 3, true);
            delivered.putObject("delivery").put("method", "HTTP POST").put("url", "https://buyer.example/leads").put("price", price);
            delivered.putObject("response").put("status_code", 200);
            events.add(delivered);
            Instant later = t.plus(Duration.ofHours(1 + random.nextInt(40)));
            switch (draw) {
                case 0 -> events.add(feedback(leadId, buyer, later, "return", null, true));
                case 1 -> events.add(feedback(leadId, buyer, later, "return", price.divide(BigDecimal.valueOf(2), 2, java.math.RoundingMode.HALF_UP), true));
                case 2 -> events.add(feedback(leadId, buyer, later, "conversion", BigDecimal.valueOf(99), true));
                case 3 -> events.add(feedback(leadId, buyer, later, "return", null, false));
                default -> { }
            }
        } else if (draw == 6 || draw == 7) {
            events.add(failed(leadId, buyer, t.plusMillis(duration), attempt, 3, draw == 6 ? "Duplicate Lead" : "Invalid Credentials",
                    draw == 6 ? "business" : "authentication", duration, 200, true));
        } else {
            events.add(failed(leadId, buyer, t.plusMillis(3), attempt, attempt, "Connection Refused", "technical", 3, null, true));
        }
        return events;
    }

    private static ObjectNode header(String type, String leadId, String buyer, Instant at) {
        ObjectNode event = JSON.createObjectNode();
        event.put("event_id", UUID.randomUUID().toString()).put("event_type", type).put("timestamp", at.truncatedTo(ChronoUnit.MILLIS).toString())
                .put("lead_id", leadId);
        event.putObject("recipient").put("id", buyer).put("name", "Synthetic " + buyer).put("type", "buyer");
        return event;
    }

    private static ObjectNode attempt(String leadId, String buyer, Instant at, int attempt, int total) {
        ObjectNode event = header("recipient.delivery_attempt", leadId, buyer, at);
        event.putObject("delivery_plan").put("price", 45.00).put("exclusive", false).put("priority", 1).put("timeout", 30000);
        event.putObject("metadata").put("attempt_number", attempt).put("total_attempts", total);
        return event;
    }

    private static ObjectNode concluded(String type, String leadId, String buyer, Instant at, long duration, int attempt, int total,
            boolean isFinal) {
        ObjectNode event = header(type, leadId, buyer, at);
        event.put("outcome", type.equals("recipient.delivered") ? "success" : "failed").put("duration_ms", duration);
        event.putObject("metadata").put("attempt_number", attempt).put("total_attempts", total).put("final", isFinal);
        return event;
    }

    private static ObjectNode failed(String leadId, String buyer, Instant at, int attempt, int total, String reason, String category,
            long duration, Integer status, boolean isFinal) {
        ObjectNode event = concluded("recipient.failed", leadId, buyer, at, duration, attempt, total, isFinal);
        event.putObject("failure").put("reason", reason).put("category", category).put("details", reason)
                .put("retry_eligible", category.equals("technical"));
        event.putObject("delivery").put("method", "HTTP POST").put("url", "https://buyer.example/leads").put("attempted_price", 45.00);
        if (status != null) {
            event.putObject("response").put("status_code", status);
        }
        return event;
    }

    private static ObjectNode feedback(String leadId, String buyer, Instant at, String type, BigDecimal amount, boolean accepted) {
        ObjectNode event = header("recipient.feedback", leadId, buyer, at);
        event.putObject("feedback").put("type", type).putNull("reason").put("amount", amount).put("accepted", accepted)
                .put("refusal", accepted ? null : "the lead was already returned");
        event.putObject("metadata");
        return event;
    }

    // ---- the comparison ----

    private void assertEveryFigure(List<Instant[]> ranges, List<String> buyers) throws Exception {
        awaitRollups();
        Recomputation expected = recomputation();
        int compared = 0;
        for (Instant[] range : ranges) {
            List<String> narrowed = new ArrayList<>();
            narrowed.add(null);
            narrowed.addAll(buyers);
            for (String buyer : narrowed) {
                String query = "?from=" + range[0] + "&to=" + range[1] + (buyer == null ? "" : "&recipient_id=" + buyer);
                String what = query + " (" + expected.eventCount() + " events)";
                assertSame(expected.delivery(range[0], range[1], buyer), answer("/analytics/delivery" + query), "delivery" + what);
                assertSame(expected.failures(range[0], range[1], buyer), answer("/analytics/failures" + query), "failures" + what);
                assertSame(expected.responseTimes(range[0], range[1], buyer), answer("/analytics/response-times" + query), "response-times" + what);
                assertSame(expected.revenue(range[0], range[1], buyer), answer("/analytics/revenue" + query), "revenue" + what);
                assertSame(expected.buyerScores(range[0], range[1], buyer), answer("/analytics/buyer-scores" + query), "buyer-scores" + what);
                assertSame(expected.retries(range[0], range[1], buyer), answer("/analytics/retries" + query), "retries" + what);
                compared++;
            }
        }
        assertTrue(compared > 0);
    }

    /** Waits until the router has added every event written so far to the rollups (they follow a moment later). */
    private void awaitRollups() {
        org.awaitility.Awaitility.await("the analytics queue drained").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> router.count("select count(*) from analytics_queue") == 0);
    }

    private Recomputation recomputation() throws Exception {
        try (Connection db = router.connect()) {
            return new Recomputation(db, NEW_YORK, LocalTime.of(9, 0), LocalTime.of(17, 0), names == null ? id -> null : names::get);
        }
    }

    private JsonNode answer(String path) {
        HttpResponse<String> answer = router.get(path);
        assertEquals(200, answer.statusCode(), path + ": " + answer.body());
        try {
            return EXACT.readTree(answer.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Field for field: counts and money exactly, rates to 1e-12, the percentiles within 5 % (the sketch's bound). */
    static void assertSame(JsonNode expected, JsonNode actual, String where) {
        if (expected.isObject()) {
            assertTrue(actual.isObject(), where + ": " + actual);
            List<String> expectedFields = new ArrayList<>();
            expected.fieldNames().forEachRemaining(expectedFields::add);
            List<String> actualFields = new ArrayList<>();
            actual.fieldNames().forEachRemaining(actualFields::add);
            assertEquals(expectedFields.stream().sorted().collect(Collectors.toList()), actualFields.stream().sorted().collect(Collectors.toList()),
                    where + ": fields");
            for (String field : expectedFields) {
                JsonNode e = expected.get(field);
                JsonNode a = actual.get(field);
                if (field.matches("p\\d\\d_ms") && e.isNumber()) {
                    assertTrue(a.isNumber() && Math.abs(a.asDouble() - e.asDouble()) <= Math.max(1, 0.05 * e.asDouble()),
                            where + "." + field + ": expected about " + e + ", got " + a);
                } else {
                    assertSame(e, a, where + "." + field);
                }
            }
        } else if (expected.isArray()) {
            assertTrue(actual.isArray(), where + ": " + actual);
            assertEquals(expected.size(), actual.size(), where + ": size\nexpected " + expected + "\nactual   " + actual);
            Iterator<JsonNode> a = actual.iterator();
            int i = 0;
            for (JsonNode e : expected) {
                assertSame(e, a.next(), where + "[" + i++ + "]");
            }
        } else if (expected.isBigDecimal()) {
            assertTrue(actual.isNumber(), where + ": " + actual);
            assertEquals(0, expected.decimalValue().compareTo(actual.decimalValue()), where + ": expected " + expected + ", got " + actual);
            assertEquals(2, actual.decimalValue().scale(), where + ": money has two decimals: " + actual);
        } else if (expected.isFloatingPointNumber()) {
            assertTrue(actual.isNumber(), where + ": " + actual);
            assertEquals(expected.asDouble(), actual.asDouble(), 1e-12, where);
        } else if (expected.isIntegralNumber()) {
            assertTrue(actual.isIntegralNumber(), where + ": expected " + expected + ", got " + actual);
            assertEquals(expected.asLong(), actual.asLong(), where);
        } else {
            assertEquals(expected, actual, where);
        }
    }

    private DataSource dataSource() {
        return router.context().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
    }

    private static Instant[] range(String from, String to) {
        return new Instant[] {Instant.parse(from), Instant.parse(to)};
    }

    private static Instant[] range(String from, Instant to) {
        return new Instant[] {Instant.parse(from), to};
    }
}
