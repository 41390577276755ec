package io.leadrouter.search;

import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /leads/{lead_id}} against a real router and buyers: for each buyer whether it was offered
 * the lead and why (not), as the routing rules decided, with what came of it.
 */
class LeadDetailsTest {

    private static final String SHARED = "rcp_Shared0001";
    private static final String LOCKED = "rcp_Locked0001";
    private static final String DOWN = "rcp_Down000001";
    private static final String EXCLUSIVE = "rcp_Exclusive1";
    private static final String LATE = "rcp_Late000001";

    private final List<StubBuyer> stubs = new ArrayList<>();
    private RouterUnderTest router;
    private String read;

    @BeforeEach
    void start() throws Exception {
        router = RouterUnderTest.start();
        StubBuyer accepting = stub(Reply.json(200, BuyerFiles.ACCEPTED));
        router.installBuyer("shared.yaml", SHARED, BuyerFiles.jsonBuyer(SHARED, "Shared", accepting.url("/leads"), 1, false, 3));
        router.installBuyer("locked.yaml", LOCKED, BuyerFiles.neverOpening(BuyerFiles.jsonBuyer(LOCKED, "Locked",
                stub(Reply.json(401, "{\"error\":\"bad key\"}")).url("/leads"), 1, false, 3)));
        router.installBuyer("down.yaml", DOWN, BuyerFiles.neverOpening(BuyerFiles.jsonBuyer(DOWN, "Down",
                "http://127.0.0.1:" + RouterUnderTest.freePort() + "/leads", 1, false, 1)));
        router.installBuyer("exclusive.yaml", EXCLUSIVE, BuyerFiles.jsonBuyer(EXCLUSIVE, "Exclusive", accepting.url("/leads"), 2, true, 3));
        router.installBuyer("late.yaml", LATE, BuyerFiles.jsonBuyer(LATE, "Late", accepting.url("/leads"), 3, false, 3));
        read = router.newKey("read");
    }

    @AfterEach
    void stop() {
        router.close();
        stubs.forEach(StubBuyer::close);
    }

    @Test
    void eachBuyerSaysWhetherItWasOfferedTheLeadAndWhatCameOfIt() {
        String leadId = router.postLead(SAMPLE_LEAD);
        router.awaitCompleted(leadId);
        JsonNode lead = details(leadId);
        assertEquals("complete", lead.path("state").asText());
        assertEquals(RouterUnderTest.read(SAMPLE_LEAD).path("first_name"), lead.path("lead").path("first_name"), "the lead as received");

        assertBuyer(lead, SHARED, true, "offered at priority 1", "delivered", 1);
        assertEquals("45.00", buyer(lead, SHARED).path("price").asText());
        assertBuyer(lead, LOCKED, true, "offered at priority 1", "refused", 1);
        assertBuyer(lead, DOWN, true, "offered at priority 1", "dead_lettered", 1);
        long deadLetter = router.count("select id from dead_letters where lead_id = '" + leadId + "' and recipient_id = '" + DOWN + "'");
        assertEquals(deadLetter, buyer(lead, DOWN).path("dead_letter_id").asLong());
        assertBuyer(lead, EXCLUSIVE, false, "an exclusive buyer, and the lead was already sold to " + SHARED, null, 0);
        assertBuyer(lead, LATE, true, "offered at priority 3", "delivered", 1);
        List<String> order = new ArrayList<>();
        lead.path("buyers").forEach(b -> order.add(b.path("recipient_id").asText()));
        assertEquals(List.of(DOWN, LOCKED, SHARED, EXCLUSIVE, LATE), order, "priority order, then id");
        assertUnknownLeadsAreNotFound();
    }

    @Test
    void aHeldBuyerAndAnExclusiveSaleSayWhy() {
        String operate = router.newKey("operate");
        HttpResponse<String> paused = router.call("POST", "/buyers/" + SHARED + "/pause", operate, null, null);
        assertEquals(200, paused.statusCode(), paused.body());
        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode lead = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> details(leadId), l -> "delivered".equals(buyer(l, EXCLUSIVE).path("outcome").asText(null))
                        && "dead_lettered".equals(buyer(l, DOWN).path("outcome").asText(null)));
        JsonNode shared = buyer(lead, SHARED);
        assertEquals("held", shared.path("outcome").asText());
        assertTrue(shared.path("why").asText().startsWith("held since " + shared.path("held_since").asText()), shared.toString());
        assertTrue(shared.path("selected").asBoolean());
        assertBuyer(lead, EXCLUSIVE, true, "offered at priority 2 as an exclusive buyer", "delivered", 1);
        assertBuyer(lead, LATE, false, "the lead was sold exclusively to " + EXCLUSIVE + " first", null, 0);
    }

    private void assertUnknownLeadsAreNotFound() {
        assertEquals(404, router.call("GET", "/leads/lead_0000000000000000", read, null, null).statusCode());
        HttpResponse<String> malformed = router.call("GET", "/leads/nope", read, null, null);
        assertEquals(404, malformed.statusCode());
        assertEquals("no lead nope", RouterUnderTest.read(malformed.body()).path("error").asText());
    }

    private void assertBuyer(JsonNode lead, String id, boolean selected, String why, String outcome, int attempts) {
        JsonNode buyer = buyer(lead, id);
        assertEquals(selected, buyer.path("selected").asBoolean(), buyer.toString());
        assertEquals(why, buyer.path("why").asText(), buyer.toString());
        assertEquals(outcome, buyer.path("outcome").asText(null), buyer.toString());
        assertEquals(attempts, buyer.path("attempts").asInt(), buyer.toString());
    }

    private static JsonNode buyer(JsonNode lead, String id) {
        for (JsonNode buyer : lead.path("buyers")) {
            if (buyer.path("recipient_id").asText().equals(id)) {
                return buyer;
            }
        }
        throw new AssertionError("no " + id + " in " + lead);
    }

    private JsonNode details(String leadId) {
        HttpResponse<String> answer = router.call("GET", "/leads/" + leadId, read, null, null);
        assertEquals(200, answer.statusCode(), answer.body());
        return RouterUnderTest.read(answer.body());
    }

    private StubBuyer stub(Reply reply) {
        StubBuyer stub = StubBuyer.answering(reply);
        stubs.add(stub);
        return stub;
    }
}
