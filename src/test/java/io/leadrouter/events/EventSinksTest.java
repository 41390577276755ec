package io.leadrouter.events;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.FirehoseReader;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every event lands in the table and on the firehose, the same, with the same event_id. */
class EventSinksTest {

    private static StubBuyer accepting;
    private static StubBuyer failing;
    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        accepting = StubBuyer.answering(Reply.json(200, ACCEPTED));
        failing = StubBuyer.answering(Reply.json(500, "{\"error\":\"boom\"}"));
        router = RouterUnderTest.start();
        router.writeBuyer("a.yaml", BuyerFiles.jsonBuyer("rcp_SinkAccepting01", "Accepting", accepting.url("/"), 1, false, 1));
        router.writeBuyer("b.yaml", BuyerFiles.neverOpening(BuyerFiles.jsonBuyer("rcp_SinkFailing0001", "Failing", failing.url("/"), 2, false, 2)));
        router.awaitBuyer("rcp_SinkAccepting01");
        router.awaitBuyer("rcp_SinkFailing0001");
    }

    @AfterAll
    static void stop() {
        router.close();
        accepting.close();
        failing.close();
    }

    @Test
    void tableAndTopicHoldTheSameEventsInTheSameOrder() {
        String leadId = router.postLead(SAMPLE_LEAD);
        // accepting: attempt + delivered; failing: 2 x (attempt + failed)
        JsonNode table = router.awaitEvents(leadId, events -> events.size() == 6);

        try (FirehoseReader firehose = new FirehoseReader(router.eventsTopic())) {
            List<FirehoseReader.Record> records = firehose.awaitRecordsOf(leadId, 6);
            assertEquals(6, records.size());
            List<String> tableIds = new ArrayList<>();
            table.forEach(e -> tableIds.add(e.path("event_id").asText()));
            List<String> topicIds = records.stream().map(r -> r.event().path("event_id").asText()).toList();
            assertEquals(tableIds, topicIds, "same event_ids, in the same (per-lead) order");
            for (int i = 0; i < records.size(); i++) {
                assertEquals(leadId, records.get(i).key(), "keyed by lead_id");
                assertEquals(table.get(i), records.get(i).event(), "the same event in both sinks");
                JsonNode event = table.get(i);
                assertEquals(Map.of("event_type", event.path("event_type").asText(),
                                "recipient_id", event.path("recipient").path("id").asText(),
                                "lead_id", leadId,
                                "content-type", "application/json"),
                        records.get(i).headers(), "headers to filter on without parsing the value");
            }
        }
    }

    @Test
    void theTablesColumnsSayWhatTheEventSays() throws SQLException {
        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode table = router.awaitEvents(leadId, events -> events.size() == 6);
        Map<String, JsonNode> events = new java.util.HashMap<>();
        table.forEach(e -> events.put(e.path("event_id").asText(), e));
        int priced = 0;
        try (Connection connection = router.connect(); Statement statement = connection.createStatement();
                java.sql.ResultSet rs = statement.executeQuery("""
                        select event_id, event_type, lead_id, recipient_id, occurred_at, outcome, failure_category,
                            failure_reason, duration_ms, price from recipient_events where lead_id = '%s'""".formatted(leadId))) {
            while (rs.next()) {
                JsonNode event = events.remove(rs.getString("event_id"));
                assertTrue(event != null, "a row of an event of the lead: " + rs.getString("event_id"));
                String what = event.path("event_type").asText() + " " + event.path("event_id").asText();
                assertEquals(event.path("event_type").asText(), rs.getString("event_type"), what);
                assertEquals(leadId, rs.getString("lead_id"), what);
                assertEquals(event.path("recipient").path("id").asText(), rs.getString("recipient_id"), what);
                assertEquals(java.time.Instant.parse(event.path("timestamp").asText()), rs.getTimestamp("occurred_at").toInstant(), what);
                assertEquals(textOrNull(event.path("outcome")), rs.getString("outcome"), what);
                assertEquals(textOrNull(event.path("failure").path("category")), rs.getString("failure_category"), what);
                assertEquals(textOrNull(event.path("failure").path("reason")), rs.getString("failure_reason"), what);
                JsonNode duration = event.path("duration_ms");
                assertEquals(duration.isNumber() ? Integer.valueOf(duration.intValue()) : null, (Integer) rs.getObject("duration_ms"), what);
                // the price paid, else the price the failed attempt was offered at, else the planned one
                JsonNode price = event.path("delivery").has("price") ? event.path("delivery").path("price")
                        : event.path("delivery").path("attempted_price");
                if (!price.isNumber()) {
                    price = event.path("delivery_plan").path("price");
                }
                java.math.BigDecimal stored = rs.getBigDecimal("price");
                assertEquals(price.isNumber() ? price.decimalValue().setScale(2) : null, stored, what);
                priced += stored != null ? 1 : 0;
            }
        }
        assertTrue(events.isEmpty(), "every event has its row: " + events.keySet());
        assertEquals(6, priced, "each of the six events has a price to sum");
    }

    private static String textOrNull(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    @Test
    void theTableIsAppendOnly() throws SQLException {
        String leadId = router.postLead(SAMPLE_LEAD);
        router.awaitEvents(leadId, events -> events.size() == 6);
        try (Connection connection = router.connect(); Statement statement = connection.createStatement()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> statement.executeUpdate("update recipient_events set outcome = 'x' where lead_id = '" + leadId + "'"));
            assertTrue(update.getMessage().contains("recipient_events is append-only"), update.getMessage());
            SQLException delete = assertThrows(SQLException.class,
                    () -> statement.executeUpdate("delete from recipient_events where lead_id = '" + leadId + "'"));
            assertTrue(delete.getMessage().contains("append-only"), delete.getMessage());
        }
        assertEquals(6, router.count("select count(*) from recipient_events where lead_id = '" + leadId + "'"));
    }

    @Test
    void eventsOfAnUnknownLeadAre404() {
        var response = router.get("/leads/lead_0000000000000000/events");
        assertEquals(404, response.statusCode());
        assertEquals("no lead lead_0000000000000000", RouterUnderTest.read(response.body()).path("error").asText());
    }
}
