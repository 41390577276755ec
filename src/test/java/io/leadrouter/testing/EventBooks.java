package io.leadrouter.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The books of a router's database, checked against the firehose and the buyers. */
public final class EventBooks {

    private final RouterUnderTest router;

    public EventBooks(RouterUnderTest router) {
        this.router = router;
    }

    public long eventsInTable() {
        return router.count("select count(*) from recipient_events");
    }

    public long waitingInOutbox() {
        return router.count("select count(*) from firehose_outbox");
    }

    public long leadsStored() {
        return router.count("select count(*) from leads");
    }

    /** Leads with no terminal outcome yet for some buyer. */
    public long leadsNotFinished() {
        return router.count("select count(*) from leads where completed_at is null");
    }

    /**
     * The firehose carries exactly the table's events (each at least once, by event_id, keyed by
     * lead_id), each lead's in the table's order; no event_id is twice in the table.
     */
    public void assertFirehoseMatchesTable(List<FirehoseReader.Record> records) throws SQLException {
        assertEquals(0, router.count("select count(*) - count(distinct event_id) from recipient_events"),
                "no event is in the table twice");
        Map<String, List<String>> tableByLead = tableEventIdsByLead();
        Map<String, Set<String>> topicByLead = new LinkedHashMap<>();
        for (FirehoseReader.Record record : records) {
            JsonNode event = record.event();
            assertEquals(event.path("lead_id").asText(), record.key(), "records are keyed by lead_id");
            // first occurrences, in the order read: a re-published event does not move an earlier one
            topicByLead.computeIfAbsent(record.key(), k -> new LinkedHashSet<>()).add(event.path("event_id").asText());
        }
        assertEquals(new TreeSet<>(tableByLead.keySet()), new TreeSet<>(topicByLead.keySet()), "the same leads on both sides");
        tableByLead.forEach((leadId, ids) -> assertEquals(ids, List.copyOf(topicByLead.get(leadId)),
                "lead " + leadId + ": the firehose has its events in the table's order"));
    }

    /**
     * Every request a buyer received is explained by a {@code recipient.delivery_attempt} event
     * with the same Idempotency-Key (a lead gets to a buyer again only in a new attempt, with the
     * same key), and no lead is recorded as delivered to the same buyer twice.
     */
    public void assertBuyerRequestsExplainedByAttempts(List<StubBuyer.ReceivedRequest> requests) throws SQLException {
        Map<String, Long> attemptsByKey = new LinkedHashMap<>();
        try (Connection connection = router.connect();
                PreparedStatement select = connection.prepareStatement("""
                        select event -> 'metadata' ->> 'idempotency_key', count(*) from recipient_events
                        where event_type = 'recipient.delivery_attempt' group by 1""");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                attemptsByKey.put(rs.getString(1), rs.getLong(2));
            }
        }
        Map<String, Long> requestsByKey = new LinkedHashMap<>();
        requests.forEach(r -> requestsByKey.merge(String.valueOf(r.header("Idempotency-Key")), 1L, Long::sum));
        requestsByKey.forEach((key, count) -> {
            long attempts = attemptsByKey.getOrDefault(key, 0L);
            if (count > attempts) {
                throw new AssertionError("Idempotency-Key " + key + ": the buyer received " + count
                        + " request(s) but only " + attempts + " attempt(s) were recorded");
            }
        });
        assertEquals(0, router.count("""
                select count(*) from (select lead_id, recipient_id from recipient_events
                where event_type = 'recipient.delivered' group by 1, 2 having count(*) > 1) twice"""),
                "no lead is recorded as delivered to the same buyer twice");
    }

    private Map<String, List<String>> tableEventIdsByLead() throws SQLException {
        Map<String, List<String>> byLead = new LinkedHashMap<>();
        try (Connection connection = router.connect();
                PreparedStatement select = connection.prepareStatement("select lead_id, event_id::text from recipient_events order by seq");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                byLead.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return byLead;
    }
}
