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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A lead accepted before the router stopped is delivered after it starts again. */
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
            }
        }
    }
}
