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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM: the router stops taking leads, lets its in-flight deliveries finish (and the queued
 * ones, time permitting), writes and publishes their events, and exits 0; whatever it had not got
 * to is walked by the next start.
 */
class GracefulShutdownTest {

    private static final String BUYER = "rcp_GracefulStop001";
    private final CountDownLatch buyerMayAnswer = new CountDownLatch(1);
    private final StubBuyer buyer = StubBuyer.answering(Reply.once(buyerMayAnswer, Reply.json(200, ACCEPTED)));
    private final List<String> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile int exitCode = -2;
    private ForkedRouter stopping;
    private ForkedRouter next;

    @AfterEach
    void stop() {
        buyerMayAnswer.countDown();
        if (stopping != null) {
            stopping.kill();
        }
        if (next != null) {
            next.close();
        }
        buyer.close();
    }

    @Test
    void sigtermFinishesWhatIsInFlightPublishesItsEventsAndExitsZero() throws Exception {
        RouterUnderTest storage = RouterUnderTest.start();
        // one delivery at a time: the first lead is at the buyer, the others wait in the router
        storage.installBuyer("buyer.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads"))
                .replace("timeout_ms: 1500", "timeout_ms: 20000"));
        storage.close();
        stopping = ForkedRouter.start(storage, Map.of("leadrouter.delivery.concurrency-per-buyer", "1")).awaitBuyer(BUYER);
        for (int i = 0; i < 5; i++) {
            assertTrue(accepts(), "lead accepted before the stop");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> buyer.requestCount() == 1);

        Thread terminate = new Thread(() -> exitCode = stopping.terminate(Duration.ofSeconds(60)));
        terminate.start();
        // the stop waits for the delivery in flight; meanwhile no lead is taken
        await().atMost(Duration.ofSeconds(20)).until(() -> logMentions("stopping gracefully"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !accepts());
        buyerMayAnswer.countDown();
        terminate.join(Duration.ofSeconds(60).toMillis());
        assertEquals(0, exitCode, "exit code after SIGTERM; see " + stopping.log());

        EventBooks books = new EventBooks(storage);
        // finished, or handed back: no attempt was cut, every call made has its outcome written
        long deliveredBeforeExit = storage.count("select count(*) from recipient_events where event_type = 'recipient.delivered'");
        assertTrue(deliveredBeforeExit >= 1, "the delivery in flight finished");
        assertEquals(deliveredBeforeExit, buyer.requestCount(), "every call made before the exit has its outcome in the table");
        assertEquals(0, books.waitingInOutbox(), "every event written was published before the exit");

        next = ForkedRouter.start(storage, Map.of()).awaitBuyer(BUYER);
        await().atMost(Duration.ofSeconds(60)).until(() -> books.leadsNotFinished() == 0);
        assertEquals(accepted.size(), storage.count("select count(*) from recipient_events where event_type = 'recipient.delivered'"));
        books.assertBuyerRequestsExplainedByAttempts(buyer.requests());
        assertEquals(accepted.size(), buyer.requestCount(), "each lead reached the buyer once");
        try (FirehoseReader firehose = new FirehoseReader(storage.eventsTopic())) {
            books.assertFirehoseMatchesTable(firehose.awaitDistinctEvents((int) books.eventsInTable(), Duration.ofSeconds(30)));
        }
    }

    private boolean logMentions(String text) throws Exception {
        return stopping.logLines().stream().anyMatch(line -> line.contains(text));
    }

    /** Posts a lead: whether the router answered 202 (and so owes it an outcome). */
    private boolean accepts() {
        try {
            HttpResponse<String> response = stopping.postLead(SAMPLE_LEAD);
            if (response.statusCode() == 202) {
                accepted.add(RouterUnderTest.read(response.body()).path("lead_id").asText());
                return true;
            }
            return false;
        } catch (java.io.UncheckedIOException e) {
            return false;
        }
    }
}
