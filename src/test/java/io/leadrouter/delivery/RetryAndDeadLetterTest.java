package io.leadrouter.delivery;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static io.leadrouter.testing.RouterUnderTest.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Technical failures are retried by the redelivery policy; exhausted ones are dead-lettered and replayable. */
class RetryAndDeadLetterTest {

    private static final String BUYER = "rcp_R3tryB4ckoffTest";
    private StubBuyer buyer;
    private RouterUnderTest router;

    @AfterEach
    void stop() {
        router.close();
        buyer.close();
    }

    private void startWith(StubBuyer stub, int maxAttempts) throws Exception {
        buyer = stub;
        router = RouterUnderTest.start();
        router.writeBuyer("buyer.yaml", BuyerFiles.jsonBuyer(BUYER, "Retry Buyer", buyer.url("/leads"), 1, false, maxAttempts));
        router.awaitBuyer(BUYER);
    }

    @Test
    void aFailureThatSucceedsOnTheSecondAttempt() throws Exception {
        startWith(StubBuyer.answering(Reply.json(503, "{\"error\":\"busy\"}"), Reply.json(200, ACCEPTED)), 3);

        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode events = router.awaitOutcomes(leadId, 1);

        List<JsonNode> attempts = ofType(events, "recipient.delivery_attempt");
        List<JsonNode> failed = ofType(events, "recipient.failed");
        List<JsonNode> delivered = ofType(events, "recipient.delivered");
        assertEquals(2, attempts.size(), events.toPrettyString());
        assertEquals(1, failed.size());
        assertEquals(1, delivered.size());
        assertEquals(1, attempts.get(0).path("metadata").path("attempt_number").asInt());
        assertEquals(2, attempts.get(1).path("metadata").path("attempt_number").asInt());
        assertEquals(1, failed.get(0).path("metadata").path("attempt_number").asInt());
        assertEquals("Server Error", failed.get(0).path("failure").path("reason").asText());
        assertTrue(failed.get(0).path("failure").path("retry_eligible").asBoolean());
        assertEquals(2, delivered.get(0).path("metadata").path("attempt_number").asInt());
        assertEquals(failed.get(0).path("metadata").path("first_attempt").asText(),
                delivered.get(0).path("metadata").path("first_attempt").asText());
        assertEquals(2, buyer.requestCount());
        assertEquals(buyer.requests().get(0).header("Idempotency-Key"), buyer.requests().get(1).header("Idempotency-Key"),
                "a retry carries the same Idempotency-Key");
        assertEquals(0, router.count("select count(*) from dead_letters"));
    }

    @Test
    void exhaustedRetriesAreDeadLetteredAndReplayDelivers() throws Exception {
        startWith(StubBuyer.answering(Reply.json(503, "{\"error\":\"down\"}")), 3);

        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode events = router.awaitOutcomes(leadId, 1);
        List<JsonNode> failed = ofType(events, "recipient.failed");
        assertEquals(3, failed.size(), events.toPrettyString());
        JsonNode last = failed.get(2);
        assertEquals(3, last.path("metadata").path("attempt_number").asInt());
        assertEquals(3, last.path("metadata").path("total_attempts").asInt());
        assertEquals(3, buyer.requestCount());

        JsonNode deadLetters = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> RouterUnderTest.read(router.get("/dead-letters").body()), list -> list.size() == 1);
        JsonNode deadLetter = deadLetters.get(0);
        assertEquals(leadId, deadLetter.path("lead_id").asText());
        assertEquals(BUYER, deadLetter.path("recipient_id").asText());
        assertEquals(3, deadLetter.path("attempts").asInt());
        assertEquals("Server Error", deadLetter.path("failure").path("reason").asText());
        assertEquals("HTTP 503 from buyer", deadLetter.path("failure").path("details").asText());

        buyer.answerFromNowOn(Reply.json(200, ACCEPTED));
        long id = deadLetter.path("id").asLong();
        assertEquals(202, router.post("/dead-letters/" + id + "/replay", null, null).statusCode());
        JsonNode afterReplay = router.awaitEvents(leadId, e -> !ofType(e, "recipient.delivered").isEmpty());
        assertEquals(1, ofType(afterReplay, "recipient.delivered").size());
        assertEquals(4, buyer.requestCount());
        assertEquals(buyer.requests().get(0).header("Idempotency-Key"), buyer.requests().get(3).header("Idempotency-Key"));
        assertEquals("[]", router.get("/dead-letters").body());
        assertEquals(404, router.post("/dead-letters/" + id + "/replay", null, null).statusCode(),
                "a dead letter is replayed once");
    }

    @Test
    void aDeadLetterIsNotReplayedAfterTheLeadWasSoldExclusively() throws Exception {
        startWith(StubBuyer.answering(Reply.json(503, "{\"error\":\"down\"}")), 2);
        try (StubBuyer exclusive = StubBuyer.answering(Reply.json(200, ACCEPTED))) {
            router.installBuyer("exclusive.yaml", "rcp_ExclusiveAfter01",
                    BuyerFiles.jsonBuyer("rcp_ExclusiveAfter01", "Exclusive", exclusive.url("/"), 5, true, 1));

            String leadId = router.postLead(SAMPLE_LEAD);
            router.awaitCompleted(leadId);
            assertEquals(1, exclusive.requestCount(), "the exclusive buyer bought the lead after the first one failed");
            long id = RouterUnderTest.read(router.get("/dead-letters").body()).get(0).path("id").asLong();

            var replay = router.post("/dead-letters/" + id + "/replay", null, null);
            assertEquals(409, replay.statusCode(), replay.body());
            assertTrue(replay.body().contains("sold"), replay.body());
            assertEquals(2, buyer.requestCount(), "the failing buyer is not sent the lead again");
            assertEquals(1, RouterUnderTest.read(router.get("/dead-letters").body()).size(), "the dead letter stays listed");
        }
    }

    @Test
    void businessRejectionsAreNotRetried() throws Exception {
        startWith(StubBuyer.answering(Reply.json(200, "{\"result\":\"rejected\",\"message\":\"Duplicate lead\"}")), 3);

        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode events = router.awaitOutcomes(leadId, 1);

        assertEquals(1, ofType(events, "recipient.failed").size());
        assertEquals(1, buyer.requestCount());
        assertEquals(0, router.count("select count(*) from dead_letters"));
    }
}
