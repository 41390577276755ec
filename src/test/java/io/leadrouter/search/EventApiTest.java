package io.leadrouter.search;

import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.LogCapture;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /events} and {@code GET /exports/events} against a real router, PostgreSQL and buyers:
 * every filter against the same question asked of the table in SQL, paging while events are written,
 * 400s naming the filter, buyer keys, CSV escaping, gzip, and an export abandoned half way.
 */
class EventApiTest {

    private static final String ACCEPTING = "rcp_Accepts001";
    private static final String REJECTING = "rcp_Rejects001";
    private static final String LOCKED = "rcp_Locked0001";
    /** The buyer of the events this test writes straight into the table, many to a second. */
    private static final String BULK = "rcp_Bulk000001";
    private static final Instant BULK_START = Instant.parse("2026-11-01T00:00:00Z");
    private static final int BULK_EVENTS = 2_400;

    private static final List<StubBuyer> STUBS = new ArrayList<>();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static RouterUnderTest router;
    private static String read;
    private static final AtomicInteger WRITTEN = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        router = RouterUnderTest.start();
        router.installBuyer("accepting.yaml", ACCEPTING, BuyerFiles.jsonBuyer(ACCEPTING, "Accepting",
                stub(Reply.json(200, BuyerFiles.ACCEPTED)).url("/leads"), 1, false, 3));
        router.installBuyer("rejecting.yaml", REJECTING, BuyerFiles.jsonBuyer(REJECTING, "Rejecting",
                stub(Reply.json(200, "{\"result\":\"rejected\",\"message\":\"lead seen before\"}")).url("/leads"), 1, false, 3));
        router.installBuyer("locked.yaml", LOCKED, BuyerFiles.jsonBuyer(LOCKED, "Locked",
                stub(Reply.json(401, "{\"error\":\"bad key\"}")).url("/leads"), 1, false, 3));
        for (int i = 0; i < 4; i++) {
            router.awaitCompleted(router.postLead(SAMPLE_LEAD));
        }
        writeBulkEvents(BULK_START, BULK_EVENTS, "Timeout", null);
        read = router.newKey("read");
    }

    @AfterAll
    static void stop() {
        router.close();
        STUBS.forEach(StubBuyer::close);
    }

    @Test
    void eachFilterFindsWhatTheSameQuestionFindsInTheTable() {
        Map<String, String> questions = new LinkedHashMap<>();
        questions.put("", "true");
        questions.put("recipient_id=" + ACCEPTING, "recipient_id = '" + ACCEPTING + "'");
        questions.put("event_type=recipient.failed", "event_type = 'recipient.failed'");
        questions.put("category=business", "failure_category = 'business'");
        questions.put("category=authentication&recipient_id=" + LOCKED, "failure_category = 'authentication' and recipient_id = '" + LOCKED + "'");
        questions.put("reason=" + encode("Invalid Credentials"), "failure_reason = 'Invalid Credentials'");
        questions.put("outcome=success", "outcome = 'success'");
        String lead = router.texts("select lead_id from leads order by received_at limit 1").get(0);
        questions.put("lead_id=" + lead, "lead_id = '" + lead + "'");
        questions.put("from=2026-11-01T00:05:00Z&to=2026-11-01T00:07:00Z",
                "occurred_at >= '2026-11-01T00:05:00Z' and occurred_at < '2026-11-01T00:07:00Z'");
        questions.put("event_type=recipient.delivered&order=oldest", "event_type = 'recipient.delivered'");
        questions.forEach((query, where) -> {
            boolean newest = !query.contains("order=oldest");
            List<String> expected = router.texts("select event_id from recipient_events where " + where
                    + " order by occurred_at " + (newest ? "desc" : "asc") + ", seq " + (newest ? "desc" : "asc"));
            assertFalse(expected.isEmpty(), "the test's data has events for " + query);
            assertEquals(expected, eventIds(allPages(query, 1000)), query);
        });
        JsonNode first = page("/events?lead_id=" + lead + "&order=oldest", read);
        assertEquals(List.of("event_id", "event_type", "timestamp", "lead_id", "recipient"),
                fieldNames(first.path("events").get(0)).subList(0, 5), "the spec's field order");
    }

    @Test
    void pagesNeverRepeatNorSkipAnEventWhileOthersAreWritten() throws Exception {
        for (String order : List.of("oldest", "newest")) {
            String filter = "recipient_id=" + BULK + "&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z&order=" + order;
            Set<String> before = new HashSet<>(router.texts("select event_id from recipient_events where recipient_id = '" + BULK
                    + "' and occurred_at >= '2026-11-01T00:00:00Z' and occurred_at < '2026-11-02T00:00:00Z'"));
            AtomicBoolean paging = new AtomicBoolean(true);
            // meanwhile events are written at random times of the same range, some at the very instants already listed
            Thread writer = new Thread(() -> {
                java.util.Random random = new java.util.Random(7);
                for (int batch = 0; batch < 100 && paging.get(); batch++) {
                    writeBulkEvents(BULK_START.plusMillis(random.nextInt(BULK_EVENTS / 3) * 1000L), 3, "Server Error", null);
                }
            });
            writer.start();
            List<JsonNode> listed;
            try {
                listed = allPages(filter, 100);
            } finally {
                paging.set(false);
                writer.join();
            }
            List<String> ids = eventIds(listed);
            assertEquals(ids.size(), new HashSet<>(ids).size(), order + ": an event listed twice");
            assertTrue(ids.containsAll(before), order + ": " + before.stream().filter(id -> !ids.contains(id)).count()
                    + " events that were there before paging began are missing");
            for (int i = 1; i < listed.size(); i++) {
                int compared = Instant.parse(listed.get(i - 1).path("timestamp").asText())
                        .compareTo(Instant.parse(listed.get(i).path("timestamp").asText()));
                assertTrue(order.equals("oldest") ? compared <= 0 : compared >= 0, order + ": out of order at " + i);
            }
        }
    }

    @Test
    void aWrongFilterIsRefusedNamingIt() {
        Map<String, String> refusals = new LinkedHashMap<>();
        refusals.put("event_type=recipient.sold", "event_type: 'recipient.sold' is not one of recipient.delivery_attempt,"
                + " recipient.delivered, recipient.failed, recipient.feedback");
        refusals.put("category=fatal", "category: 'fatal' is not one of technical, business, authentication, internal");
        refusals.put("outcome=ok", "outcome: 'ok' is not one of success, failed");
        refusals.put("lead_id=42", "lead_id: '42' is not a lead id");
        refusals.put("from=yesterday", "from: 'yesterday' is not an ISO-8601 instant");
        refusals.put("to=%2B300000-01-01T00:00:00Z", "to: '+300000-01-01T00:00:00Z' is outside the years 1 to 9999");
        refusals.put("from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "from: '2026-11-02T00:00:00Z' is not before to");
        refusals.put("order=random", "order: 'random' is neither newest nor oldest");
        refusals.put("limit=0", "limit: '0' is not a whole number from 1 to 1000");
        refusals.put("limit=1001", "limit: '1001' is not a whole number from 1 to 1000");
        refusals.put("cursor=bm9wZQ", "cursor: not a cursor this router gave");
        String next = page("/events?recipient_id=" + BULK + "&limit=5", read).path("next").asText();
        refusals.put("recipient_id=" + ACCEPTING + "&limit=5&cursor=" + next, "cursor: it was made for other filters");
        refusals.forEach((query, message) -> {
            HttpResponse<String> answer = router.call("GET", "/events?" + query, read, null, null);
            assertEquals(400, answer.statusCode(), query + ": " + answer.body());
            assertTrue(RouterUnderTest.read(answer.body()).path("error").asText().startsWith(message), query + ": " + answer.body());
        });
        HttpResponse<String> export = router.call("GET", "/exports/events?format=xml", read, null, null);
        assertEquals(400, export.statusCode(), export.body());
        assertTrue(export.body().contains("format: 'xml' is not one of ndjson, csv"), export.body());
    }

    @Test
    void aBuyerKeySeesItsOwnBuyersEventsOnly() {
        String buyer = router.newBuyerKey(LOCKED);
        List<JsonNode> seen = new ArrayList<>();
        JsonNode page = page("/events?limit=1000", buyer);
        page.path("events").forEach(seen::add);
        assertFalse(seen.isEmpty());
        assertTrue(seen.stream().allMatch(e -> e.path("recipient").path("id").asText().equals(LOCKED)), seen.toString());
        assertEquals(router.count("select count(*) from recipient_events where recipient_id = '" + LOCKED + "'"), seen.size());
        HttpResponse<String> other = router.call("GET", "/events?recipient_id=" + ACCEPTING, buyer, null, null);
        assertEquals(403, other.statusCode(), other.body());
        String exported = router.call("GET", "/exports/events", buyer, null, null).body();
        assertEquals(seen.size(), exported.lines().count());
        assertTrue(exported.lines().allMatch(line -> RouterUnderTest.read(line).path("recipient").path("id").asText().equals(LOCKED)));
    }

    @Test
    void anExportIsTheListingAsNdjsonOrCsvCompressedWhenAsked() throws Exception {
        String odd = "Odd, \"quoted\"\nreason";
        Instant at = Instant.parse("2026-10-15T12:00:00Z");
        writeBulkEvents(at, 3, odd, "=HYPERLINK(\"http://x\")");
        String filter = "recipient_id=" + BULK + "&from=2026-10-15T00:00:00Z&to=2026-10-16T00:00:00Z";

        HttpResponse<byte[]> ndjson = export("/exports/events?" + filter, null);
        assertEquals(200, ndjson.statusCode());
        assertEquals("application/x-ndjson", ndjson.headers().firstValue("Content-Type").orElse(""));
        List<JsonNode> lines = new String(ndjson.body(), StandardCharsets.UTF_8).lines().map(RouterUnderTest::read).toList();
        assertEquals(eventIds(allPages(filter + "&order=oldest", 1000)), eventIds(lines));
        assertEquals(3, lines.size());

        HttpResponse<byte[]> csv = export("/exports/events?format=csv&" + filter, null);
        assertEquals("text/csv; charset=utf-8", csv.headers().firstValue("Content-Type").orElse(""));
        List<List<String>> rows = Csv.parse(new String(csv.body(), StandardCharsets.UTF_8));
        List<String> header = rows.get(0);
        assertEquals(List.of("event_id", "event_type", "timestamp", "lead_id", "recipient_id", "recipient_name", "outcome",
                "duration_ms", "price", "attempted_price", "margin", "failure_category", "failure_reason", "failure_details",
                "retry_eligible", "status_code", "buyer_lead_id", "attempt_number", "total_attempts", "first_attempt", "final",
                "feedback_type", "feedback_reason", "feedback_amount", "feedback_accepted", "feedback_refusal", "url"), header);
        assertEquals(4, rows.size(), "a header and three rows");
        for (int i = 1; i < rows.size(); i++) {
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), rows.get(i).get(c));
            }
            JsonNode event = lines.get(i - 1);
            assertEquals(event.path("event_id").asText(), row.get("event_id"));
            assertEquals(odd, row.get("failure_reason"), "commas, quotes and line breaks survive");
            assertEquals("'=HYPERLINK(\"http://x\")", row.get("failure_details"), "a formula is made inert");
            assertEquals("true", row.get("retry_eligible"));
            assertEquals("2", row.get("attempt_number"));
            assertEquals("", row.get("price"));
            assertEquals("12.5", row.get("attempted_price"));
        }

        HttpResponse<byte[]> gzipped = export("/exports/events?format=csv&" + filter, "gzip, deflate");
        assertEquals("gzip", gzipped.headers().firstValue("Content-Encoding").orElse(""));
        try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertEquals(new String(csv.body(), StandardCharsets.UTF_8), new String(unzipped.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void anExportAbandonedHalfWayGivesItsDatabaseConnectionBack() throws Exception {
        writeBulkEvents(Instant.parse("2026-09-01T00:00:00Z"), 30_000, "Timeout", null);
        String running = "select count(*) from pg_stat_activity where state <> 'idle' and pid <> pg_backend_pid()"
                + " and query like 'select seq, occurred_at, event from recipient_events%'";
        try (LogCapture log = new LogCapture()) {
            for (int i = 1; i <= 3; i++) {
                try (Socket socket = new Socket("127.0.0.1", URI.create(router.baseUrl()).getPort())) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("GET /exports/events?recipient_id=" + BULK + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + read
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    InputStream in = socket.getInputStream();
                    byte[] some = in.readNBytes(64 * 1024);
                    assertTrue(new String(some, StandardCharsets.UTF_8).startsWith("HTTP/1.1 200"));
                    // the client reads no more: the export waits with its cursor open
                    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> router.count(running) == 1);
                }
                // the client is gone: the export stops where it was (not read to its end for nobody) and its connection is back
                int closed = i;
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> router.count(running) == 0
                        && log.lines().stream().filter(line -> line.startsWith("INFO Export closed after")).count() == closed);
            }
            assertTrue(log.lines().stream().noneMatch(line -> line.startsWith("INFO Export of")), log.lines().toString());
        }
        HttpResponse<byte[]> whole = export("/exports/events?recipient_id=" + BULK + "&to=2026-10-01T00:00:00Z", null);
        assertEquals(30_000, new String(whole.body(), StandardCharsets.UTF_8).lines().count());
    }

    // ---- helpers ----

    /**
     * Writes events of {@link #BULK} straight into the table (its triggers off), three to an instant (so that only seq orders them):
     * failed second attempts with the given reason and details.
     */
    private static void writeBulkEvents(Instant start, int count, String reason, String details) {
        int first = WRITTEN.getAndAdd(count);
        try (Connection c = router.connect()) {
            // written as a bulk load would be: the firehose, the rollups and the seal have no part in these tests
            try (java.sql.Statement off = c.createStatement()) {
                off.execute("set session_replication_role = replica");
            }
            RouterUnderTest.makeEventDays(c, start, start.plusSeconds(count / 3 + 1));
            try (PreparedStatement events = c.prepareStatement("""
                    insert into recipient_events (event_id, event_type, lead_id, recipient_id, occurred_at, outcome,
                        failure_category, failure_reason, duration_ms, price, event)
                    select id, 'recipient.failed', lead, ?, at, 'failed', 'technical', ?, 100, 12.5,
                        jsonb_build_object('event_id', id, 'event_type', 'recipient.failed',
                            'timestamp', to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'lead_id', lead,
                            'recipient', jsonb_build_object('id', ?, 'name', 'Bulk'), 'outcome', 'failed', 'duration_ms', 100,
                            'failure', jsonb_build_object('reason', ?, 'category', 'technical', 'details', ?::text, 'retry_eligible', true),
                            'delivery', jsonb_build_object('method', 'HTTP POST', 'url', 'https://bulk.example/leads', 'attempted_price', 12.5),
                            'metadata', jsonb_build_object('attempt_number', 2, 'total_attempts', 3))
                    from (select gen_random_uuid() as id, 'lead_' || upper(substr(md5(? || i::text), 1, 16)) as lead,
                              ?::timestamptz + ((i - 1) / 3) * interval '1 second' as at
                          from generate_series(1, ?) as i) as bulk
                    """)) {
                events.setString(1, BULK);
                events.setString(2, reason);
                events.setString(3, BULK);
                events.setString(4, reason);
                events.setString(5, details);
                events.setString(6, "bulk" + first);
                events.setObject(7, java.time.OffsetDateTime.ofInstant(start, java.time.ZoneOffset.UTC));
                events.setInt(8, count);
                events.execute();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonNode> allPages(String query, int limit) {
        List<JsonNode> events = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = page("/events?" + query + (query.isEmpty() ? "" : "&") + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor), read);
            page.path("events").forEach(events::add);
            cursor = page.path("next").isNull() ? null : page.path("next").asText();
        } while (cursor != null);
        return events;
    }

    private static JsonNode page(String path, String key) {
        HttpResponse<String> answer = router.call("GET", path, key, null, null);
        assertEquals(200, answer.statusCode(), path + ": " + answer.body());
        return RouterUnderTest.read(answer.body());
    }

    private static HttpResponse<byte[]> export(String path, String acceptEncoding) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(router.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + read);
        if (acceptEncoding != null) {
            request.header("Accept-Encoding", acceptEncoding);
        }
        HttpResponse<byte[]> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, answer.statusCode(), path);
        return answer;
    }

    private static List<String> eventIds(List<JsonNode> events) {
        return events.stream().map(e -> e.path("event_id").asText()).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static StubBuyer stub(Reply reply) {
        StubBuyer stub = StubBuyer.answering(reply);
        STUBS.add(stub);
        return stub;
    }
}
