package io.leadrouter.search;

import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /leads/{lead_id}/attempts} against a real router and buyers: each call's request as the
 * buyer got it but with its credential masked, the buyer's response and the failure, for every
 * attempt; a buyer key sees its own.
 */
class LeadAttemptsTest {

    private static final String SECRET = "sk_live_7Hq2Lw9Zr4Xc";
    private static final String CREDENTIALS = "credentials:\n  - header: Authorization\n    prefix: \"Bearer \"\n    env: ACME_KEY\n";
    private static final String ACCEPTING = "rcp_Accepting1";
    private static final String FLAKY = "rcp_Flaky00001";

    private static final List<StubBuyer> STUBS = new ArrayList<>();
    private static RouterUnderTest router;
    private static StubBuyer accepting;
    private static StubBuyer flaky;

    @BeforeAll
    static void start() throws Exception {
        router = RouterUnderTest.builder().secret("ACME_KEY", SECRET).start();
        accepting = stub(Reply.json(200, BuyerFiles.ACCEPTED));
        // fails once (echoing the key, as some buyers do), then takes the lead
        flaky = stub(Reply.json(503, "{\"error\":\"busy, key Bearer " + SECRET + "\"}"), Reply.json(200, BuyerFiles.ACCEPTED));
        router.installBuyer("accepting.yaml", ACCEPTING, BuyerFiles.jsonBuyer(ACCEPTING, accepting.url("/leads")) + CREDENTIALS);
        router.installBuyer("flaky.yaml", FLAKY, BuyerFiles.neverOpening(BuyerFiles.jsonBuyer(FLAKY, flaky.url("/leads"))) + CREDENTIALS);
    }

    @AfterAll
    static void stop() {
        router.close();
        STUBS.forEach(StubBuyer::close);
    }

    @Test
    void eachAttemptShowsTheRequestSentWithItsCredentialMaskedAndTheResponse() {
        String leadId = router.postLead(SAMPLE_LEAD);
        router.awaitCompleted(leadId);
        String read = router.newKey("read");
        JsonNode answer = attempts(leadId, read);
        assertEquals(leadId, answer.path("lead_id").asText());
        assertFalse(answer.toString().contains(SECRET), "the credential is never shown: " + answer);

        List<JsonNode> atFlaky = of(answer, FLAKY);
        assertEquals(2, atFlaky.size(), answer.toString());
        JsonNode failed = atFlaky.get(0);
        assertEquals("recipient.failed", failed.path("event_type").asText());
        assertEquals(1, failed.path("attempt_number").asInt());
        assertEquals("technical", failed.path("failure").path("category").asText(), failed.toString());
        assertEquals(503, failed.path("response").path("status_code").asInt(), failed.toString());
        assertEquals("busy, key Bearer ****", failed.path("response").path("body").path("error").asText(), "the echoed key masked");
        assertRequestAsSent(failed.path("request"), flaky.requests().get(0));
        JsonNode delivered = atFlaky.get(1);
        assertEquals("recipient.delivered", delivered.path("event_type").asText());
        assertEquals(2, delivered.path("attempt_number").asInt());
        assertTrue(delivered.path("failure").isNull(), delivered.toString());
        assertEquals("buyer-12345", delivered.path("response").path("parsed").path("buyer_lead_id").asText());
        assertRequestAsSent(delivered.path("request"), flaky.requests().get(1));
        assertRequestAsSent(of(answer, ACCEPTING).get(0).path("request"), accepting.requests().get(0));

        String buyerKey = router.newBuyerKey(ACCEPTING);
        JsonNode own = attempts(leadId, buyerKey);
        assertEquals(1, own.path("attempts").size(), "a buyer key sees its own buyer's attempts only: " + own);
        assertEquals(ACCEPTING, own.path("attempts").get(0).path("recipient_id").asText());
        HttpResponse<String> unknown = router.call("GET", "/leads/lead_0000000000000000/attempts", read, null, null);
        assertEquals(404, unknown.statusCode(), unknown.body());
    }

    /** The stored request is what the buyer received, but for the credential. */
    private static void assertRequestAsSent(JsonNode stored, StubBuyer.ReceivedRequest received) {
        assertEquals("POST", stored.path("method").asText(), stored.toString());
        assertTrue(stored.path("url").asText().endsWith("/leads"), stored.toString());
        assertEquals("Bearer " + SECRET, received.header("Authorization"), "the buyer got the key");
        assertEquals("Bearer ****", stored.path("headers").path("Authorization").asText(), stored.toString());
        assertEquals(received.header("Idempotency-Key"), stored.path("headers").path("Idempotency-Key").asText());
        assertTrue(stored.path("headers").path("Content-Type").asText().startsWith("application/json"), stored.toString());
        assertEquals(RouterUnderTest.read(received.body()), RouterUnderTest.read(stored.path("body").asText()), "the body as sent");
    }

    private static List<JsonNode> of(JsonNode answer, String recipientId) {
        List<JsonNode> own = new ArrayList<>();
        answer.path("attempts").forEach(a -> {
            if (a.path("recipient_id").asText().equals(recipientId)) {
                own.add(a);
            }
        });
        return own;
    }

    private static JsonNode attempts(String leadId, String key) {
        HttpResponse<String> answer = router.call("GET", "/leads/" + leadId + "/attempts", key, null, null);
        assertEquals(200, answer.statusCode(), answer.body());
        return RouterUnderTest.read(answer.body());
    }

    private static StubBuyer stub(Reply... replies) {
        StubBuyer stub = StubBuyer.answering(replies);
        STUBS.add(stub);
        return stub;
    }
}
