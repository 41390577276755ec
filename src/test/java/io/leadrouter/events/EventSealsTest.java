package io.leadrouter.events;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The events are sealed as they settle, and verification names the first event that is not as it
 * was sealed, even when a database superuser switched the append-only triggers off to edit or
 * delete it, or slipped one in.
 */
class EventSealsTest {

    private StubBuyer buyer;
    private RouterUnderTest router;

    @BeforeEach
    void start() throws Exception {
        buyer = StubBuyer.answering(Reply.json(200, ACCEPTED));
        router = RouterUnderTest.start();
        router.writeBuyer("sealed.yaml", BuyerFiles.jsonBuyer("rcp_sealed", buyer.url("/leads")));
        router.awaitBuyer("rcp_sealed");
        for (int i = 0; i < 5; i++) {
            router.awaitCompleted(router.postLead(SAMPLE_LEAD));
        }
        Awaitility.await("every event sealed").atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode report = verify();
            return report.path("events_sealed").asLong() == 10 && report.path("events_not_yet_sealed").asLong() == 0;
        });
    }

    @AfterEach
    void stop() {
        router.close();
        buyer.close();
    }

    @Test
    void untouchedEventsVerifyAsIntact() {
        JsonNode report = verify();

        assertTrue(report.path("intact").asBoolean(), report.toString());
        assertTrue(report.path("checkpoints").asInt() >= 1, report.toString());
        assertTrue(report.path("first_problem").isNull(), report.toString());
        assertEquals(0, command().exit(), "the verify command agrees");
        assertTrue(command().out().startsWith("intact: "), command().out());
    }

    @Test
    void anEventEditedWithTheTriggersOffIsNamed() throws Exception {
        long seq = router.count("select max(seq) from recipient_events where event_type = 'recipient.delivered'");
        asSuperuserWithoutTriggers("update recipient_events set event = jsonb_set(event, '{delivery,price}', '1.00') where seq = " + seq);

        JsonNode report = verify();

        assertFalse(report.path("intact").asBoolean(), report.toString());
        assertTrue(report.path("first_problem").asText().startsWith("event seq " + seq + " (event_id "), report.toString());
        assertTrue(report.path("first_problem").asText().contains(") was changed (checkpoint "), report.toString());
        Run command = command();
        assertEquals(3, command.exit(), command.out());
        assertEquals("NOT intact: " + report.path("first_problem").asText(), command.out().trim());
    }

    @Test
    void aDeletedEventIsNamed() throws Exception {
        long second = router.count("select min(seq) from recipient_events") + 1;
        asSuperuserWithoutTriggers("delete from recipient_events where seq = " + second);

        JsonNode report = verify();

        assertFalse(report.path("intact").asBoolean(), report.toString());
        assertTrue(report.path("first_problem").asText().startsWith("event seq " + second + " was deleted (checkpoint "), report.toString());
    }

    @Test
    void anEventSlippedInBelowTheSealIsNamed() throws Exception {
        long first = router.count("select min(seq) from recipient_events");
        asSuperuserWithoutTriggers("insert into recipient_events (seq, event_id, event_type, lead_id, occurred_at, event) "
                + "select " + (first - 1) + ", gen_random_uuid(), event_type, lead_id, occurred_at, event from recipient_events where seq = " + first);

        JsonNode report = verify();

        assertFalse(report.path("intact").asBoolean(), report.toString());
        assertTrue(report.path("first_problem").asText().startsWith("event seq " + (first - 1) + " (event_id "), report.toString());
        assertTrue(report.path("first_problem").asText().contains(") was added after it was sealed"), report.toString());
    }

    @Test
    void theCheckpointsThemselvesCannotBeChangedOrDeleted() throws Exception {
        try (Connection db = router.connect(); Statement sql = db.createStatement()) {
            for (String change : new String[] {"update event_checkpoints set digest = ''::bytea", "delete from event_checkpoints",
                    "truncate event_checkpoints"}) {
                SQLException refused = assertThrows(SQLException.class, () -> sql.execute(change), change);
                assertTrue(refused.getMessage().contains("event_checkpoints is append-only"), refused.getMessage());
            }
        }
    }

    private record Run(int exit, String out) {
    }

    private Run command() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.util.Map<String, String> settings = java.util.Map.of("leadrouter.datasource.url", router.jdbcUrl());
        int exit = VerifyEventsCommand.run(settings::get, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                System.err);
        return new Run(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    private JsonNode verify() {
        var answer = router.get("/audit/verify");
        assertEquals(200, answer.statusCode(), answer.body());
        return RouterUnderTest.read(answer.body());
    }

    /** What a database superuser can do: session_replication_role = replica switches every trigger off. */
    private void asSuperuserWithoutTriggers(String change) throws Exception {
        try (Connection db = router.connect(); Statement sql = db.createStatement()) {
            sql.execute("set session_replication_role = replica");
            sql.execute(change);
        }
    }
}
