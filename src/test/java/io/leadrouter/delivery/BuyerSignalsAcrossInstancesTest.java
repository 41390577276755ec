package io.leadrouter.delivery;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A buyer's signals hold for every instance: two routers on one database (and one buyers folder), each
 * routing the leads posted to it. A buyer limited to 5 calls a second never receives more than 5 in any
 * one second of its own clock, and every lead is still delivered with one attempt (a wait for a free
 * second uses none); a buyer that answered 410 Gone to one router is not called by the other either,
 * nor by it after a restart, and a changed file re-enables it on both.
 */
class BuyerSignalsAcrossInstancesTest {

    private static final int PER_SECOND = 5;
    private static final int LEADS = 30;
    private static RouterUnderTest first;
    private static RouterUnderTest second;
    private final List<StubBuyer> stubs = new ArrayList<>();
    private final List<String> buyers = new ArrayList<>();

    @BeforeAll
    static void startRouters() throws Exception {
        first = RouterUnderTest.start();
        second = RouterUnderTest.builder().sameStorageAs(first).start();
    }

    @AfterAll
    static void stopRouters() {
        second.close();
        first.close();
    }

    /** Each test's buyers go, so that the next test's leads are offered to its own buyers only. */
    @AfterEach
    void removeBuyers() throws Exception {
        first.finishLeadsAndDeleteBuyerFiles();
        // until each buyer's route and queue are gone too: taken down in the background, they must not race the next test or the stop
        for (RouterUnderTest router : List.of(first, second)) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> buyers.stream().allMatch(router::buyerRemoved));
        }
        stubs.forEach(StubBuyer::close);
    }

    @Test
    void twoRoutersTogetherKeepTheBuyersRateLimitAndDeliverEveryLead() {
        StubBuyer buyer = stub(Reply.json(200, ACCEPTED));
        install("rcp_RateLimited5", BuyerFiles.jsonBuyer("rcp_RateLimited5", buyer.url("/leads")) + "rate_limit:\n  per_second: " + PER_SECOND + "\n");

        for (int i = 0; i < LEADS; i++) {
            (i % 2 == 0 ? first : second).postLead(SAMPLE_LEAD);
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> delivered() == LEADS);

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
        assertTrue(span.toMillis() >= (LEADS / PER_SECOND - 1) * 1000L, LEADS + " calls within " + span.toMillis() + " ms");
    }

    @Test
    void aBuyerGoneForOneRouterIsGoneForTheOtherAndAfterARestartUntilItsFileChanges() throws Exception {
        String goneId = "rcp_GoneForBoth";
        StubBuyer gone = stub(Reply.json(410, ""));
        String file = BuyerFiles.neverOpening(BuyerFiles.jsonBuyer(goneId, gone.url("/leads")));
        install(goneId, file);

        first.awaitCompleted(first.postLead(SAMPLE_LEAD));
        assertEquals(1, gone.requestCount());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> isGone(second, goneId));
        second.awaitCompleted(second.postLead(SAMPLE_LEAD));
        assertEquals(1, gone.requestCount(), "the other router does not call it either");

        second.close();
        second = RouterUnderTest.builder().sameStorageAs(first).start();
        second.awaitBuyer(goneId);
        assertTrue(isGone(second, goneId), "gone from its start, before it ever read the table on its own schedule");
        second.awaitCompleted(second.postLead(SAMPLE_LEAD));
        assertEquals(1, gone.requestCount(), "nor does it after a restart");

        gone.answerFromNowOn(Reply.json(200, ACCEPTED));
        first.writeBuyer(goneId + ".yaml", file.replace("tier: premium", "tier: standard"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !isGone(first, goneId) && !isGone(second, goneId));
        second.awaitCompleted(second.postLead(SAMPLE_LEAD));
        assertEquals(2, gone.requestCount(), "the changed file re-enabled it on the other router too");
    }

    private static boolean isGone(RouterUnderTest router, String buyerId) {
        for (JsonNode buyer : RouterUnderTest.read(router.get("/buyers").body()).path("buyers")) {
            if (buyer.path("id").asText().equals(buyerId)) {
                return !buyer.path("gone").isNull();
            }
        }
        throw new AssertionError(buyerId + " is not listed");
    }

    private static long delivered() {
        return first.count("select count(*) from recipient_events where event_type = 'recipient.delivered'");
    }

    private StubBuyer stub(Reply reply) {
        StubBuyer stub = StubBuyer.answering(reply);
        stubs.add(stub);
        return stub;
    }

    /** Written once into the folder both routers read; each puts it in force. */
    private void install(String id, String yaml) {
        buyers.add(id);
        first.installBuyer(id + ".yaml", id, yaml);
        second.awaitBuyer(id);
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
