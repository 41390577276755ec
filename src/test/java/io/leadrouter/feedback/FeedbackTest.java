package io.leadrouter.feedback;

import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.FirehoseReader;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /leads/{lead_id}/feedback} against a real router and real buyers: what is recorded
 * and published, and each refusal one by one, with an event where the buyer should see why and
 * nothing stored where the request itself is wrong.
 */
class FeedbackTest {

    private static final String RULED = "rcp_Ruled0001";
    private static final String REFUSING = "rcp_Refuse001";
    private static final String CLOSED = "rcp_Closed001";

    private final List<StubBuyer> stubs = new ArrayList<>();
    private RouterUnderTest router;
    private String operate;
    private List<String> leads;

    @BeforeEach
    void start() throws Exception {
        router = RouterUnderTest.start();
        StubBuyer accepting = stub(Reply.json(200, BuyerFiles.ACCEPTED));
        router.installBuyer("ruled.yaml", RULED, BuyerFiles.jsonBuyer(RULED, "Ruled", accepting.url("/leads"), 1, false, 3)
                + "feedback:\n  return_window_days: 7\n  return_reasons: [Duplicate, Bad phone]\n  max_return_rate: 0.5\n");
        router.installBuyer("refusing.yaml", REFUSING, BuyerFiles.jsonBuyer(REFUSING, "Refusing",
                stub(Reply.json(401, "{}")).url("/leads"), 1, false, 3));
        router.installBuyer("closed.yaml", CLOSED, BuyerFiles.jsonBuyer(CLOSED, "Closed", accepting.url("/leads"), 1, false, 3)
                + "feedback:\n  return_window_days: 0\n");
        leads = IntStream.range(0, 4).mapToObj(i -> router.postLead(SAMPLE_LEAD)).toList();
        leads.forEach(router::awaitCompleted);
        operate = router.newKey("operate");
    }

    @AfterEach
    void stop() {
        router.close();
        stubs.forEach(StubBuyer::close);
    }

    @Test
    void anAcceptedReturnIsAnEventInTheTableAndOnTheFirehose() throws Exception {
        HttpResponse<String> answer = post(operate, leads.get(0), "{\"recipient_id\":\"" + RULED + "\",\"type\":\"return\",\"reason\":\"Duplicate\"}");
        assertEquals(201, answer.statusCode(), answer.body());
        JsonNode event = RouterUnderTest.read(answer.body());
        assertEquals(List.of("event_id", "event_type", "timestamp", "lead_id", "recipient", "feedback", "metadata"), fields(event));
        assertEquals("recipient.feedback", event.path("event_type").asText());
        assertEquals(leads.get(0), event.path("lead_id").asText());
        assertEquals(RULED, event.path("recipient").path("id").asText());
        assertEquals("Ruled", event.path("recipient").path("name").asText());
        JsonNode feedback = event.path("feedback");
        assertEquals("return", feedback.path("type").asText());
        assertEquals("Duplicate", feedback.path("reason").asText());
        assertTrue(feedback.path("amount").isNull() && feedback.path("refusal").isNull(), feedback.toString());
        assertTrue(feedback.path("accepted").asBoolean(), feedback.toString());
        JsonNode delivered = RouterUnderTest.ofType(router.events(leads.get(0)), "recipient.delivered").stream()
                .filter(e -> e.path("recipient").path("id").asText().equals(RULED)).findFirst().orElseThrow();
        assertEquals(delivered.path("timestamp").asText(), event.path("metadata").path("delivered_at").asText());

        JsonNode stored = RouterUnderTest.ofType(router.events(leads.get(0)), "recipient.feedback").get(0);
        assertEquals(event, stored);
        try (FirehoseReader firehose = new FirehoseReader(router.eventsTopic())) {
            List<FirehoseReader.Record> published = firehose.awaitRecordsOf(leads.get(0), router.events(leads.get(0)).size());
            assertTrue(published.stream().anyMatch(r -> r.event().equals(event)), published.toString());
        }

        HttpResponse<String> conversion = post(operate, leads.get(1), "{\"recipient_id\":\"" + RULED + "\",\"type\":\"conversion\",\"amount\":120.5}");
        assertEquals(201, conversion.statusCode(), conversion.body());
        assertEquals("120.50", RouterUnderTest.read(conversion.body()).path("feedback").path("amount").asText());
    }

    @Test
    void aReturnTheBuyersRulesRefuseIsRecordedWithItsRefusal() {
        String ruled = "{\"recipient_id\":\"" + RULED + "\",\"type\":\"return\"";
        assertRefusedWithEvent(422, leads.get(0), ruled + ",\"reason\":\"Too old\"}",
                "reason 'Too old' is not one of the buyer's return reasons: Duplicate, Bad phone");
        assertRefusedWithEvent(422, leads.get(0), ruled + "}", "a return must give a reason: Duplicate, Bad phone");
        assertRefusedWithEvent(422, leads.get(0), "{\"recipient_id\":\"" + CLOSED + "\",\"type\":\"return\"}",
                "the return window of 0 days after the delivery closed at ");

        // 4 leads delivered this month, at most half returned: the third return is one too many
        assertEquals(201, post(operate, leads.get(0), ruled + ",\"reason\":\"Duplicate\"}").statusCode());
        assertRefusedWithEvent(409, leads.get(0), ruled + ",\"reason\":\"Bad phone\"}", "the lead was already returned");
        assertEquals(201, post(operate, leads.get(1), ruled + ",\"reason\":\"Bad phone\",\"amount\":5.25}").statusCode());
        assertRefusedWithEvent(422, leads.get(2), ruled + ",\"reason\":\"Bad phone\"}",
                "a return would make 3 returns of 4 leads delivered this month, over the buyer's max_return_rate of 0.5");
        // a conversion is not a return: always taken
        assertEquals(201, post(operate, leads.get(2), "{\"recipient_id\":\"" + RULED + "\",\"type\":\"conversion\"}").statusCode());
    }

    @Test
    void aRequestThatIsWrongIsRefusedAndNothingIsRecorded() {
        String lead = leads.get(0);
        Map<String, String> refused = Map.ofEntries(
                Map.entry("not json", "400 the body is not JSON"),
                Map.entry("[]", "400 the body must be a JSON object with recipient_id and type"),
                Map.entry("{\"type\":\"return\"}", "400 recipient_id: is required"),
                Map.entry("{\"recipient_id\":\"" + RULED + "\"}", "400 type: is required"),
                Map.entry("{\"recipient_id\":\"" + RULED + "\",\"type\":\"refund\"}", "400 type: 'refund' is neither 'return' nor 'conversion'"),
                Map.entry("{\"recipient_id\":\"" + RULED + "\",\"type\":\"return\",\"colour\":1}", "400 unknown field 'colour'"),
                Map.entry("{\"recipient_id\":\"" + RULED + "\",\"type\":\"return\",\"amount\":\"5\"}", "400 amount: must be a number"),
                Map.entry("{\"recipient_id\":\"" + RULED + "\",\"type\":\"return\",\"amount\":-5}", "400 amount must not be negative"),
                Map.entry("{\"recipient_id\":\"" + RULED + "\",\"type\":\"return\",\"amount\":1.005}", "400 amount: has more than 2 decimals"),
                Map.entry("{\"recipient_id\":\"" + RULED + "\",\"type\":\"return\",\"reason\":\"Duplicate\",\"amount\":45.01}",
                        "400 amount 45.01 is more than the lead's price 45.00"),
                Map.entry("{\"recipient_id\":\"" + REFUSING + "\",\"type\":\"conversion\"}", "409 lead " + lead + " was not delivered to " + REFUSING),
                Map.entry("{\"recipient_id\":\"rcp_Nobody\",\"type\":\"conversion\"}", "409 lead " + lead + " was not delivered to rcp_Nobody"));
        long before = feedbackEvents();
        refused.forEach((body, expected) -> {
            HttpResponse<String> answer = post(operate, lead, body);
            String got = answer.statusCode() + " " + error(answer);
            assertTrue(got.startsWith(expected), body + " → " + got);
            assertTrue(RouterUnderTest.read(answer.body()).path("event").isMissingNode(), answer.body());
        });
        HttpResponse<String> unknown = post(operate, "lead_0000000000000000", "{\"recipient_id\":\"" + RULED + "\",\"type\":\"conversion\"}");
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertEquals(before, feedbackEvents());
    }

    @Test
    void aBuyerKeyGivesFeedbackForItsOwnDeliveriesOnly() {
        String buyerKey = buyerKey(RULED);
        assertEquals(201, post(buyerKey, leads.get(0), "{\"recipient_id\":\"" + RULED + "\",\"type\":\"conversion\"}").statusCode());
        HttpResponse<String> other = post(buyerKey, leads.get(0), "{\"recipient_id\":\"" + CLOSED + "\",\"type\":\"conversion\"}");
        assertEquals(403, other.statusCode(), other.body());
        assertEquals("a buyer key posts feedback for its own buyer (" + RULED + ") only", error(other));
        // the refusing buyer's key: the lead was never delivered to it, so for that key it does not exist
        HttpResponse<String> notOwn = post(buyerKey(REFUSING), leads.get(0), "{\"recipient_id\":\"" + REFUSING + "\",\"type\":\"conversion\"}");
        assertEquals(404, notOwn.statusCode(), notOwn.body());
        assertEquals(403, post(router.newKey("read"), leads.get(0), "{\"recipient_id\":\"" + RULED + "\",\"type\":\"conversion\"}").statusCode());
    }

    @Test
    void returnsAtOnceOfOneLeadAcceptOne() {
        String body = "{\"recipient_id\":\"" + RULED + "\",\"type\":\"return\",\"reason\":\"Duplicate\"}";
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<Integer> statuses = IntStream.range(0, 6)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> post(operate, leads.get(3), body).statusCode(), clients))
                    .toList().stream().map(CompletableFuture::join).sorted().toList();
            assertEquals(List.of(201, 409, 409, 409, 409, 409), statuses);
        } finally {
            clients.shutdown();
        }
        assertEquals(1, router.count("select count(*) from recipient_events where event_type = 'recipient.feedback'"
                + " and lead_id = '" + leads.get(3) + "' and event -> 'feedback' ->> 'accepted' = 'true'"));
    }

    private void assertRefusedWithEvent(int status, String leadId, String body, String refusal) {
        long before = feedbackEvents();
        HttpResponse<String> answer = post(operate, leadId, body);
        assertEquals(status, answer.statusCode(), answer.body());
        assertTrue(error(answer).startsWith(refusal), answer.body());
        JsonNode event = RouterUnderTest.read(answer.body()).path("event");
        assertEquals(false, event.path("feedback").path("accepted").asBoolean(true), answer.body());
        assertEquals(error(answer), event.path("feedback").path("refusal").asText());
        assertEquals(before + 1, feedbackEvents());
        assertEquals(event, RouterUnderTest.ofType(router.events(leadId), "recipient.feedback").stream()
                .filter(e -> e.path("event_id").equals(event.path("event_id"))).findFirst().orElseThrow());
    }

    private HttpResponse<String> post(String key, String leadId, String body) {
        return router.call("POST", "/leads/" + leadId + "/feedback", key, "application/json", body);
    }

    private String buyerKey(String buyerId) {
        HttpResponse<String> made = router.post("/api-keys", "application/json", "{\"role\":\"buyer\",\"recipient_id\":\"" + buyerId + "\"}");
        assertEquals(201, made.statusCode(), made.body());
        return RouterUnderTest.read(made.body()).path("key").asText();
    }

    private long feedbackEvents() {
        return router.count("select count(*) from recipient_events where event_type = 'recipient.feedback'");
    }

    private static String error(HttpResponse<String> answer) {
        return RouterUnderTest.read(answer.body()).path("error").asText();
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private StubBuyer stub(Reply... replies) {
        StubBuyer stub = StubBuyer.answering(replies);
        stubs.add(stub);
        return stub;
    }
}
