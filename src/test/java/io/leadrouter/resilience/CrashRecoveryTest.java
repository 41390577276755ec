package io.leadrouter.resilience;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.EventBooks;
import io.leadrouter.testing.FirehoseReader;
import io.leadrouter.testing.ForkedRouter;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A router process killed with SIGKILL under load, and one started on the same storage: every
 * lead that got 202 reaches its outcome, no event is in the table twice, and a buyer sees a lead
 * again only when the crash cut an attempt in flight, with the same Idempotency-Key.
 */
class CrashRecoveryTest {

    private static final String BUYER = "rcp_CrashRecovery01";
    /** The buyer takes a moment to answer, so that some attempts are in flight at the kill. */
    private final StubBuyer buyer = StubBuyer.answering(Reply.after(Duration.ofMillis(20), Reply.json(200, ACCEPTED)));
    private ForkedRouter crashed;
    private ForkedRouter restarted;

    @AfterEach
    void stop() {
        if (crashed != null) {
            crashed.kill();
        }
        if (restarted != null) {
            restarted.close();
        }
        buyer.close();
    }

    /**
     * A kill while attempt 2 is at two buyers: a cut attempt counts as made. The buyer with three
     * attempts gets attempt 3 after the restart; the buyer with two has used them up and gets no
     * third call: the lead goes to its dead letters.
     */
    @Test
    void aKillDuringAttemptTwoResumesAtAttemptThreeAndNoBuyerGetsMoreThanItsMaxAttempts() throws Exception {
        String threeAttempts = "rcp_CrashAttempt3Of3";
        String twoAttempts = "rcp_CrashAttempt2Of2";
        // a technical failure, then an answer that never comes (cut by the kill), then acceptance
        try (StubBuyer buyerOfThree = StubBuyer.answering(Reply.json(500, "{}"), Reply.never(), Reply.json(200, ACCEPTED));
                StubBuyer buyerOfTwo = StubBuyer.answering(Reply.json(500, "{}"), Reply.never(), Reply.json(200, ACCEPTED))) {
            RouterUnderTest storage = RouterUnderTest.start();
            storage.installBuyer("three.yaml", threeAttempts, BuyerFiles.jsonBuyer(threeAttempts, "Three", buyerOfThree.url("/leads"), 1, false, 3)
                    .replace("timeout_ms: 1500", "timeout_ms: 60000"));
            storage.installBuyer("two.yaml", twoAttempts, BuyerFiles.jsonBuyer(twoAttempts, "Two", buyerOfTwo.url("/leads"), 1, false, 2)
                    .replace("timeout_ms: 1500", "timeout_ms: 60000"));
            storage.close();

            crashed = ForkedRouter.start(storage, Map.of()).awaitBuyer(threeAttempts).awaitBuyer(twoAttempts);
            String leadId = RouterUnderTest.read(crashed.postLead(SAMPLE_LEAD).body()).path("lead_id").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> buyerOfThree.requestCount() == 2 && buyerOfTwo.requestCount() == 2);
            crashed.kill();

            restarted = ForkedRouter.start(storage, Map.of()).awaitBuyer(threeAttempts);
            EventBooks books = new EventBooks(storage);
            await().atMost(Duration.ofSeconds(30)).until(() -> books.leadsNotFinished() == 0);

            assertEquals(List.of(1, 2, 3), attemptNumbers(storage, leadId, threeAttempts), "attempt numbers at the buyer of three");
            assertEquals(3, buyerOfThree.requestCount(), "the buyer of three got three calls");
            assertEquals(1, storage.count("select count(*) from recipient_events where event_type = 'recipient.delivered' and recipient_id = '"
                    + threeAttempts + "'"));
            assertEquals(List.of(1, 2), attemptNumbers(storage, leadId, twoAttempts), "attempt numbers at the buyer of two");
            assertEquals(2, buyerOfTwo.requestCount(), "the buyer of two got no third call");
            assertEquals(2, storage.count("select attempts from dead_letters where recipient_id = '" + twoAttempts + "'"),
                    "the lead is in the dead letters of the buyer of two, after its two attempts");
            books.assertBuyerRequestsExplainedByAttempts(buyerOfThree.requests());
            books.assertBuyerRequestsExplainedByAttempts(buyerOfTwo.requests());
            restarted.kill(); // the books are read: no need to wait for a graceful stop
        }
    }

    private static List<Integer> attemptNumbers(RouterUnderTest storage, String leadId, String buyerId) throws Exception {
        List<Integer> numbers = new ArrayList<>();
        try (Connection connection = storage.connect();
                PreparedStatement select = connection.prepareStatement("""
                        select (event -> 'metadata' ->> 'attempt_number')::int from recipient_events
                        where lead_id = ? and recipient_id = ? and event_type = 'recipient.delivery_attempt' order by seq""")) {
            select.setString(1, leadId);
            select.setString(2, buyerId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    numbers.add(rs.getInt(1));
                }
            }
        }
        return numbers;
    }

    @Test
    void everyAcceptedLeadIsDeliveredAfterAKillAndNothingTwiceButTheCutAttempts() throws Exception {
        RouterUnderTest storage = RouterUnderTest.start();
        storage.installBuyer("buyer.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads")));
        storage.close();

        crashed = ForkedRouter.start(storage, Map.of()).awaitBuyer(BUYER);
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            clients.submit(() -> {
                while (true) {
                    try {
                        HttpResponse<String> response = crashed.postLead(SAMPLE_LEAD);
                        if (response.statusCode() == 202) {
                            accepted.add(RouterUnderTest.read(response.body()).path("lead_id").asText());
                        }
                    } catch (UncheckedIOException e) {
                        return; // the router is gone
                    }
                }
            });
        }
        // kill it in full flow: leads coming in, deliveries in flight
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 150 && buyer.requestCount() >= 50);
        crashed.kill();
        clients.shutdown();
        assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
        long unfinishedAtTheCrash = storage.count("select count(*) from leads where completed_at is null");

        restarted = ForkedRouter.start(storage, Map.of()).awaitBuyer(BUYER);
        EventBooks books = new EventBooks(storage);
        await().atMost(Duration.ofSeconds(90)).until(() -> books.leadsNotFinished() == 0);

        for (String leadId : accepted) {
            assertTrue(storage.count("select count(*) from recipient_events where event_type = 'recipient.delivered' and lead_id = '"
                    + leadId + "'") >= 1, "accepted lead " + leadId + " was delivered");
        }
        books.assertBuyerRequestsExplainedByAttempts(buyer.requests());
        long events = books.eventsInTable();
        try (FirehoseReader firehose = new FirehoseReader(storage.eventsTopic())) {
            books.assertFirehoseMatchesTable(firehose.awaitDistinctEvents((int) events, Duration.ofSeconds(60)));
        }
        System.out.printf("crash test: %d leads accepted, %d unfinished at the kill, %d buyer requests, %d events%n",
                accepted.size(), unfinishedAtTheCrash, buyer.requestCount(), events);
        restarted.kill(); // the books are read: no need to wait for a graceful stop
    }
}
