package io.leadrouter.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.events.EventStore;
import io.leadrouter.support.Json;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The retention job against a real router and database: events dated before the kept days (written by
 * the test, as late as the router writes its own) go with their whole day, recorded; the leads and
 * dead letters of that age go with them unless still being routed; recent events stay, and so do the
 * analytics rollups of the dropped days (kept longer), but for those older than the rollups' own
 * retention; the seal still verifies, and still names an event deleted behind its back.
 */
class RetentionTest {

    private static final String BUYER = "rcp_Retention1";
    private static final String GONE_BUYER = "rcp_RetireDown";
    private static final int EVENT_DAYS = 30;
    private static final int ROLLUP_DAYS = 400;

    private static RouterUnderTest router;
    private static StubBuyer accepting;

    @BeforeAll
    static void start() throws Exception {
        router = RouterUnderTest.builder()
                .property("leadrouter.retention.days", String.valueOf(EVENT_DAYS))
                .property("leadrouter.retention.rollup-days", String.valueOf(ROLLUP_DAYS))
                .property("leadrouter.retention.first-round-delay-ms", "200")
                .start();
        accepting = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED));
        router.installBuyer("retention.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, accepting.url("/leads")));
    }

    @AfterAll
    static void stop() {
        router.close();
        accepting.close();
    }

    @Test
    void expiredDaysGoWholeAndRecordedWhileRecentEventsRollupsAndTheSealStay() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // the job's first round, run by its route at start, made the next days' partitions
        Awaitility.await("the partition of " + today.plusDays(3)).atMost(Duration.ofSeconds(30))
                .until(() -> router.count("select count(*) from pg_class where relname = '" + partition(today.plusDays(3)) + "'") == 1);

        String recentLead = router.postLead(BuyerFiles.SAMPLE_LEAD);
        router.awaitCompleted(recentLead);
        LocalDate expired = today.minusDays(EVENT_DAYS + 5);
        LocalDate alsoExpired = today.minusDays(EVENT_DAYS);
        LocalDate lastKept = today.minusDays(EVENT_DAYS - 1);
        LocalDate pastRollups = today.minusDays(ROLLUP_DAYS + 10);
        String expiredLead = oldLead(expired, true);
        String stillRouting = oldLead(expired, false);
        String keptLead = oldLead(lastKept, true);
        long expiredDeadLetter = deadLetter(expiredLead, expired);
        writeOffers(expired, expiredLead, 3);
        writeOffers(alsoExpired, "lead_RetAlsoExpired1", 2);
        writeOffers(lastKept, keptLead, 2);
        writeOffers(pastRollups, "lead_RetVeryOld00001", 1);
        long recentEvents = router.count("select count(*) from recipient_events where lead_id = '" + recentLead + "'");
        long written = router.count("select max(seq) from recipient_events");
        Awaitility.await("the seal and the rollups caught up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> router.count("select coalesce(max(last_seq), 0) from event_checkpoints") >= written
                        && router.count("select count(*) from analytics_queue") == 0);
        long expiredRollups = rollupRows(expired) + rollupRows(alsoExpired);
        assertTrue(expiredRollups > 0 && rollupRows(pastRollups) > 0, "the rollups of the old days were made");

        EventRetention.Round round = router.context().getRegistry().lookupByNameAndType("eventRetention", EventRetention.class).round();

        assertEquals(List.of(pastRollups, expired, alsoExpired), round.daysDropped(), "whole days, the oldest first");
        assertEquals(4 * (1 + 3 + 2), round.eventsDropped(), "four events an offer");
        assertEquals(0, router.count("select count(*) from recipient_events where occurred_at < '" + lastKept + "T00:00:00Z'"));
        for (LocalDate day : round.daysDropped()) {
            assertEquals(0, router.count("select count(*) from pg_class where relname = '" + partition(day) + "'"), day + " dropped");
        }
        assertEquals(8, router.count("select count(*) from recipient_events where lead_id = '" + keptLead + "'"), "the last day kept stays");
        assertEquals(recentEvents, router.count("select count(*) from recipient_events where lead_id = '" + recentLead + "'"));
        assertEquals(List.of(pastRollups + " 4", expired + " 12", alsoExpired + " 8"),
                router.texts("select day || ' ' || events from event_retention order by day"), "each day recorded with its events");
        assertEquals(0, router.count("select count(*) from firehose_outbox o where not exists"
                + " (select 1 from recipient_events e where e.seq = o.event_seq)"), "nothing left to publish of the dropped days");

        assertEquals(expiredRollups, rollupRows(expired) + rollupRows(alsoExpired), "rollups outlive their events");
        assertEquals(0, rollupRows(pastRollups), "but not their own retention");
        assertEquals(1, round.rollupRowsDropped() > 0 ? 1 : 0, "rollup rows dropped: " + round.rollupRowsDropped());

        assertEquals(0, router.count("select count(*) from leads where lead_id = '" + expiredLead + "'"), "an expired lead goes");
        assertEquals(0, router.count("select count(*) from dead_letters where id = " + expiredDeadLetter), "with its dead letter");
        assertEquals(0, router.count("select count(*) from analytics_offers where lead_id = '" + expiredLead + "'"), "and its offers");
        assertEquals(0, router.count("select count(*) from analytics_offers where lead_id = 'lead_RetVeryOld00001'"),
                "offers older than the rollups go with them");
        assertEquals(1, router.count("select count(*) from leads where lead_id = '" + stillRouting + "'"), "a lead still routed stays");
        assertEquals(1, router.count("select count(*) from leads where lead_id = '" + keptLead + "'"));
        assertEquals(1, router.count("select count(*) from leads where lead_id = '" + recentLead + "'"));
        assertEquals(2, round.leadsDropped() + round.deadLettersDropped(), round.toString());

        JsonNode verified = verify();
        assertTrue(verified.path("intact").asBoolean(), verified.toString());
        assertEquals(round.eventsDropped(), verified.path("events_retired").asLong(), verified.toString());

        EventRetention.Round again = router.context().getRegistry().lookupByNameAndType("eventRetention", EventRetention.class).round();
        assertTrue(again.daysDropped().isEmpty() && again.leadsDropped() == 0, "a second round finds nothing: " + again);

        assertAWriteToADroppedDayMakesItAgain(expired);
        assertAnEventDeletedBehindTheSealIsStillNamed(recentLead);
    }

    /** An event of a dropped day arriving late is written (its day made again), not lost. */
    private static void assertAWriteToADroppedDayMakesItAgain(LocalDate dropped) throws Exception {
        EventStore store = router.context().getRegistry().lookupByNameAndType("eventStore", EventStore.class);
        store.appendAll(List.of(delivered("lead_RetLateEvent001", dropped.atTime(12, 0).toInstant(ZoneOffset.UTC), 1)));
        assertEquals(1, router.count("select count(*) from recipient_events where lead_id = 'lead_RetLateEvent001'"));
    }

    private static void assertAnEventDeletedBehindTheSealIsStillNamed(String leadId) throws Exception {
        long seq = router.count("select min(seq) from recipient_events where lead_id = '" + leadId + "'");
        try (Connection db = router.connect(); Statement sql = db.createStatement()) {
            sql.execute("set session_replication_role = replica");
            sql.execute("delete from recipient_events where seq = " + seq);
        }
        JsonNode verified = verify();
        assertFalse(verified.path("intact").asBoolean(), verified.toString());
        assertTrue(verified.path("first_problem").asText().startsWith("event seq " + seq + " was deleted"), verified.toString());
    }

    private static JsonNode verify() {
        var answer = router.get("/audit/verify");
        assertEquals(200, answer.statusCode(), answer.body());
        return RouterUnderTest.read(answer.body());
    }

    private static long rollupRows(LocalDate day) {
        String from = "'" + day + "T00:00:00Z'";
        String to = "'" + day.plusDays(1) + "T00:00:00Z'";
        return router.count("select (select count(*) from analytics_rollup where bucket >= " + from + " and bucket < " + to + ")"
                + " + (select count(*) from analytics_failure_days where day >= " + from + " and day < " + to + ")");
    }

    private static String partition(LocalDate day) {
        return "recipient_events_" + day.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    /**
     * A lead received at noon of that day, its routing over or not (then owned by this router, which is
     * not done with it: no instance's recovery takes it over).
     */
    private static String oldLead(LocalDate day, boolean complete) throws Exception {
        String leadId = "lead_Ret" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Timestamp at = Timestamp.from(day.atTime(12, 0).toInstant(ZoneOffset.UTC));
        try (Connection db = router.connect();
                PreparedStatement insert = db.prepareStatement("""
                        insert into leads (lead_id, payload, source, received_at, completed_at, owner)
                        values (?, '{}', 'test', ?, ?, (select owner from leads where source <> 'test' limit 1))""")) {
            insert.setString(1, leadId);
            insert.setTimestamp(2, at);
            insert.setTimestamp(3, complete ? at : null);
            insert.execute();
        }
        return leadId;
    }

    private static long deadLetter(String leadId, LocalDate day) throws Exception {
        try (Connection db = router.connect();
                PreparedStatement insert = db.prepareStatement("""
                        insert into dead_letters (lead_id, recipient_id, failure, attempts, created_at)
                        values (?, ?, '{}', 3, ?) returning id""")) {
            insert.setString(1, leadId);
            insert.setString(2, GONE_BUYER);
            insert.setTimestamp(3, Timestamp.from(day.atTime(13, 0).toInstant(ZoneOffset.UTC)));
            try (var rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Offers of that day as the router writes them: an attempt, a timeout, a second attempt, the delivery. */
    private static void writeOffers(LocalDate day, String leadId, int offers) throws Exception {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < offers; i++) {
            Instant at = day.atTime(9 + i, 0).toInstant(ZoneOffset.UTC);
            events.add(event("recipient.delivery_attempt", leadId, at, 1));
            ObjectNode failed = event("recipient.failed", leadId, at.plusMillis(400), 1);
            failed.put("outcome", "failed").put("duration_ms", 400);
            failed.putObject("failure").put("reason", "Timeout").put("category", "technical").put("details", "Timeout")
                    .put("retry_eligible", true);
            events.add(failed);
            events.add(event("recipient.delivery_attempt", leadId, at.plusSeconds(2), 2));
            events.add(delivered(leadId, at.plusSeconds(3), 2));
        }
        router.context().getRegistry().lookupByNameAndType("eventStore", EventStore.class).appendAll(events);
    }

    private static ObjectNode delivered(String leadId, Instant at, int attempt) {
        ObjectNode delivered = event("recipient.delivered", leadId, at, attempt);
        delivered.put("outcome", "success").put("duration_ms", 300);
        delivered.putObject("delivery").put("method", "HTTP POST").put("url", "https://buyer.example/leads").put("price", 45.00);
        ((ObjectNode) delivered.get("metadata")).put("final", true);
        return delivered;
    }

    private static ObjectNode event(String type, String leadId, Instant at, int attempt) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("event_id", UUID.randomUUID().toString()).put("event_type", type).put("timestamp", at.toString()).put("lead_id", leadId);
        event.putObject("recipient").put("id", BUYER).put("name", "Retention").put("type", "buyer");
        event.putObject("metadata").put("attempt_number", attempt).put("total_attempts", 3);
        return event;
    }
}
