package io.leadrouter.routing;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static io.leadrouter.testing.RouterUnderTest.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A lead accepted before the router stopped is delivered after it starts again; what its offer
 * reserved before the stop (a cap slot, its consumer) is taken over, counted once, and kept as sold.
 */
class RestartRecoveryTest {

    private static final String BUYER = "rcp_RestartRecovery1";

    @Test
    void aLeadCutOffByAStopIsDeliveredAfterTheRestart() throws Exception {
        try (StubBuyer buyer = StubBuyer.answering(Reply.never(), Reply.json(200, ACCEPTED))) {
            RouterUnderTest before = RouterUnderTest.builder().property("camel.main.shutdown-timeout", "1").start();
            before.writeBuyer("slow.yaml", """
                    id: %s
                    name: Slow Then Fine
                    endpoint:
                      url: %s
                      timeout_ms: 4000
                    mapping:
                      - from: first_name
                        to: firstName
                    price: 10.00
                    retry:
                      # the attempt cut by the stop counts: two remain after the restart, so one slow
                      # answer on a loaded machine does not end the lead as a dead letter
                      max_attempts: 3
                      initial_delay_ms: 50
                    caps:
                      leads:
                        day: 1
                    dedupe:
                      window_days: 30
                    """.formatted(BUYER, buyer.url("/leads")));
            before.awaitBuyer(BUYER);
            String leadId = before.postLead(SAMPLE_LEAD);
            before.awaitEvents(leadId, events -> events.size() == 1); // the attempt is in flight
            before.close();
            assertEquals(1, before.count("select count(*) from leads where completed_at is null"));

            try (RouterUnderTest after = RouterUnderTest.builder().sameStorageAs(before).start()) {
                JsonNode events = after.awaitEvents(leadId, e -> !ofType(e, "recipient.delivered").isEmpty());
                assertEquals(1, ofType(events, "recipient.delivered").size());
                after.awaitEvents(leadId, e -> after.count(
                        "select count(*) from leads where completed_at is not null and lead_id = '" + leadId + "'") == 1);
                assertTrue(buyer.requestCount() >= 2);
                Set<String> keys = buyer.requests().stream().map(r -> r.header("Idempotency-Key")).collect(Collectors.toSet());
                assertEquals(1, keys.size(), "the repeated request carries the same Idempotency-Key: " + keys);

                assertEquals(1, after.count("select leads from cap_usage where recipient_id = '" + BUYER + "' and period = 'day'"),
                        "the slot reserved before the stop is counted once");
                after.awaitEvents(leadId, e -> after.count("select count(*) from cap_reservations where sold_at is not null and lead_id = '"
                        + leadId + "'") == 1);
                assertEquals(2, after.count("select count(*) from consumer_claims where sold_at is not null and lead_id = '" + leadId + "'"),
                        "its e-mail and phone are the buyer's now");
                String sameConsumer = after.postLead(SAMPLE_LEAD);
                String overTheCap = after.postLead(SAMPLE_LEAD.replace("ann@example.com", "other@example.com").replace("123-4567", "999-0000"));
                after.awaitCompleted(sameConsumer);
                after.awaitCompleted(overTheCap);
                assertEquals(List.of("duplicate"), after.texts("select decision from routing_decisions where lead_id = '" + sameConsumer + "'"));
                assertEquals(List.of("cap_reached"), after.texts("select decision from routing_decisions where lead_id = '" + overTheCap + "'"));
            }
        }
    }
}
