package io.leadrouter.delivery;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * rate_limit.per_second across instances: two routers on one database, each routing its own leads to
 * one buyer that allows 5 calls a second. The buyer never receives more than 5 calls in any one
 * second of its own clock, and every lead is still delivered, with one attempt each (a wait for a
 * free second uses no attempt).
 */
class CallRateLimitTest {

    private static final String BUYER = "rcp_RateLimited5";
    private static final int PER_SECOND = 5;
    private static final int LEADS = 30;
    private final StubBuyer buyer = StubBuyer.answering(Reply.json(200, ACCEPTED));
    private RouterUnderTest first;
    private RouterUnderTest second;

    @AfterEach
    void stop() {
        if (second != null) {
            second.close();
        }
        first.close();
        buyer.close();
    }

    @Test
    void twoRoutersTogetherKeepTheBuyersLimitAndDeliverEveryLead() throws Exception {
        first = RouterUnderTest.start();
        first.installBuyer("limited.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads"))
                + "rate_limit:\n  per_second: " + PER_SECOND + "\n");
        second = RouterUnderTest.builder().sameStorageAs(first).start();
        second.awaitBuyer(BUYER);

        for (int i = 0; i < LEADS; i++) {
            (i % 2 == 0 ? first : second).postLead(SAMPLE_LEAD);
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                first.count("select count(*) from recipient_events where event_type = 'recipient.delivered'") == LEADS);

        assertEquals(2, first.count("select count(distinct owner) from leads"), "both routers routed leads");
        assertEquals(LEADS, buyer.requestCount(), "one call a lead");
        assertEquals(LEADS, first.count("select count(*) from recipient_events where event_type = 'recipient.delivery_attempt'"),
                "waiting for a free second used no attempt");
        List<Instant> arrivals = buyer.requests().stream().map(StubBuyer.ReceivedRequest::arrivedAt).sorted().toList();
        int busiest = busiestSecond(arrivals);
        Duration span = Duration.between(arrivals.get(0), arrivals.get(arrivals.size() - 1));
        System.out.printf("rate limit %d/s, %d calls from two routers: busiest one-second window %d calls, all within %d ms%n",
                PER_SECOND, LEADS, busiest, span.toMillis());
        assertTrue(busiest <= PER_SECOND, busiest + " calls arrived within one second");
        // at 5 a second, 30 calls need more than 5 s; unlimited they all come in well under one
        assertTrue(span.toMillis() >= (LEADS / PER_SECOND - 1) * 1000L, "30 calls within " + span.toMillis() + " ms");
    }

    /** The most calls that arrived within any one second (a window starting at each call, on the stub's clock). */
    private static int busiestSecond(List<Instant> arrivals) {
        int busiest = 0;
        for (int i = 0; i < arrivals.size(); i++) {
            Instant end = arrivals.get(i).plusSeconds(1);
            int inWindow = 0;
            for (int j = i; j < arrivals.size() && arrivals.get(j).isBefore(end); j++) {
                inWindow++;
            }
            busiest = Math.max(busiest, inWindow);
        }
        return busiest;
    }
}
