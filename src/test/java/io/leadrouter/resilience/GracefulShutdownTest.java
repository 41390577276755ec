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
 * to is walked by the next start. A stop that cannot finish (a buyer that never answers) still
 * ends within its bound, with exit code 75, and the next start resumes the work.
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
        stopping = ForkedRouter.start(storage, Map.of("camel.threadpool.config[buyer-delivery].pool-size", "1")).awaitBuyer(BUYER);
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
        next.kill(); // the books are read: no need to wait for a graceful stop
    }

    @Test
    void sigtermWithABuyerThatNeverAnswersEndsWithinTheBoundAndTheNextStartResumesTheLead() throws Exception {
        String stuckBuyer = "rcp_StuckAtTheStop01";
        try (StubBuyer neverAnswers = StubBuyer.answering(Reply.never(), Reply.json(200, ACCEPTED))) {
            RouterUnderTest storage = RouterUnderTest.start();
            storage.installBuyer("stuck.yaml", stuckBuyer, BuyerFiles.jsonBuyer(stuckBuyer, neverAnswers.url("/leads"))
                    .replace("timeout_ms: 1500", "timeout_ms: 300000"));
            storage.close();
            // the bound is camel.main.shutdown-timeout + leadrouter.firehose.stop-grace-seconds: 6 s here
            stopping = ForkedRouter.start(storage, Map.of("camel.main.shutdown-timeout", "4",
                    "leadrouter.firehose.stop-grace-seconds", "2")).awaitBuyer(stuckBuyer);
            String leadId = RouterUnderTest.read(stopping.postLead(SAMPLE_LEAD).body()).path("lead_id").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> neverAnswers.requestCount() == 1);

            long signalled = System.nanoTime();
            int exit = stopping.terminate(Duration.ofSeconds(30));
            Duration took = Duration.ofNanos(System.nanoTime() - signalled);
            assertEquals(75, exit, "exit code of a stop cut at its bound; see " + stopping.log());
            assertTrue(took.compareTo(Duration.ofSeconds(6 + 2)) <= 0, "ended " + took.toMillis() + " ms after SIGTERM (bound 6 s, 2 s for the JVM)");
            assertTrue(logMentions("did not end within 6 s"), "the cut is logged; see " + stopping.log());
            assertTrue(logMentions("lead " + leadId), "what was in flight is logged; see " + stopping.log());

            next = ForkedRouter.start(storage, Map.of()).awaitBuyer(stuckBuyer);
            EventBooks books = new EventBooks(storage);
            await().atMost(Duration.ofSeconds(30)).until(() -> books.leadsNotFinished() == 0);
            assertEquals(1, storage.count("select count(*) from recipient_events where event_type = 'recipient.delivered' and lead_id = '"
                    + leadId + "'"), "the lead was delivered after the restart");
            assertEquals(2, storage.count("select max((event -> 'metadata' ->> 'attempt_number')::int) from recipient_events where lead_id = '"
                    + leadId + "'"), "the resumed attempt is attempt 2: the cut one counts");
            assertEquals(2, neverAnswers.requestCount());
            books.assertBuyerRequestsExplainedByAttempts(neverAnswers.requests());
            next.kill(); // the books are read: no need to wait for a graceful stop
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
