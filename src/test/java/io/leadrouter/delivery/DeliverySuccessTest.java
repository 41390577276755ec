package io.leadrouter.delivery;

import io.leadrouter.model.DeliveryAttempt;
import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A buyer that accepts: the delivered event carries every field of the spec's example. */
class DeliverySuccessTest {

    private static final String BUYER = "rcp_5L2nK9mR3x8B4Q7p";
    private static StubBuyer buyer;
    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        buyer = StubBuyer.answering(Reply.json(200, ACCEPTED));
        router = RouterUnderTest.start();
        router.writeBuyer("premier.yaml", BuyerFiles.jsonBuyer(BUYER, "Premier Insurance Buyer", buyer.url("/leads"), 1, true, 3));
        router.awaitBuyer(BUYER);
    }

    @AfterAll
    static void stop() {
        router.close();
        buyer.close();
    }

    @Test
    void deliveredEventHasEverySpecField() {
        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode events = router.awaitOutcomes(leadId, 1);

        assertEquals(2, events.size(), events.toPrettyString());
        JsonNode attempt = events.get(0);
        assertEquals("recipient.delivery_attempt", attempt.path("event_type").asText());
        assertEquals(leadId, attempt.path("lead_id").asText());
        assertEquals(BUYER, attempt.path("recipient").path("id").asText());
        assertEquals("Premier Insurance Buyer", attempt.path("recipient").path("name").asText());
        assertEquals(new BigDecimal("45.00"), attempt.path("delivery_plan").path("price").decimalValue());
        assertTrue(attempt.path("delivery_plan").path("exclusive").asBoolean());
        assertEquals(1, attempt.path("delivery_plan").path("priority").asInt());
        assertEquals(1500, attempt.path("delivery_plan").path("timeout").asInt());
        assertEquals(85, attempt.path("lead_snapshot").path("score").asInt());
        assertTrue(attempt.path("lead_snapshot").path("age_minutes").isNumber());
        assertTrue(attempt.path("lead_snapshot").path("enhancements_complete").asBoolean());

        JsonNode delivered = events.get(1);
        assertFalse(delivered.path("event_id").asText().isEmpty());
        assertTrue(!delivered.path("event_id").asText().equals(attempt.path("event_id").asText()));
        assertEquals("recipient.delivered", delivered.path("event_type").asText());
        Instant.parse(delivered.path("timestamp").asText());
        assertTrue(delivered.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertEquals(leadId, delivered.path("lead_id").asText());
        assertEquals(BUYER, delivered.path("recipient").path("id").asText());
        assertEquals("Premier Insurance Buyer", delivered.path("recipient").path("name").asText());
        assertEquals("buyer", delivered.path("recipient").path("type").asText());
        assertEquals("success", delivered.path("outcome").asText());
        assertTrue(delivered.path("duration_ms").isIntegralNumber());
        assertTrue(delivered.path("duration_ms").asLong() >= 0);
        assertEquals("HTTP POST", delivered.path("delivery").path("method").asText());
        assertEquals(buyer.url("/leads"), delivered.path("delivery").path("url").asText());
        assertEquals(new BigDecimal("45.00"), delivered.path("delivery").path("price").decimalValue());
        assertEquals(new BigDecimal("32.50"), delivered.path("delivery").path("margin").decimalValue());
        assertEquals(200, delivered.path("response").path("status_code").asInt());
        assertEquals("accepted", delivered.path("response").path("body").path("result").asText());
        assertEquals("buyer-12345", delivered.path("response").path("body").path("lead_id").asText());
        assertEquals("buyer-12345", delivered.path("response").path("parsed").path("buyer_lead_id").asText());
        assertTrue(delivered.path("response").path("parsed").path("acceptance").asBoolean());
        assertEquals(1, delivered.path("metadata").path("attempt_number").asInt());
        assertEquals(3, delivered.path("metadata").path("total_attempts").asInt());
        assertEquals(attempt.path("timestamp").asText(), delivered.path("metadata").path("first_attempt").asText());
        assertEquals("generic_http", delivered.path("metadata").path("integration").asText());
        assertEquals("premium", delivered.path("metadata").path("buyer_tier").asText());
    }

    @Test
    void theBuyerReceivesTheMappedJsonWithAnIdempotencyKey() {
        int before = buyer.requestCount();
        String leadId = router.postLead(SAMPLE_LEAD);
        router.awaitOutcomes(leadId, 1);

        StubBuyer.ReceivedRequest request = buyer.requests().get(before);
        assertEquals("POST", request.method());
        assertEquals("/leads", request.path());
        assertEquals("{\"firstName\":\"Ann\",\"phone\":\"5551234567\",\"state\":\"TX\"}", request.body());
        assertTrue(request.header("Content-Type").startsWith("application/json"), request.header("Content-Type"));
        assertEquals(DeliveryAttempt.idempotencyKey(leadId, BUYER), request.header("Idempotency-Key"));
    }
}
