package io.leadrouter.resilience;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.dev.EmbeddedPostgresService;
import io.leadrouter.intake.LeadIds;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.EventBooks;
import io.leadrouter.testing.FirehoseReader;
import io.leadrouter.testing.KafkaLeads;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away while deliveries are in flight: intake answers 503 and stores nothing, the
 * deliveries pause until their events can be written, and everything goes on by itself when the
 * database is back.
 */
class DatabaseOutageTest {

    private static final String BUYER = "rcp_DbOutageBuyer01";
    private final CountDownLatch buyerMayAnswer = new CountDownLatch(1);
    private final StubBuyer buyer = StubBuyer.answering(Reply.once(buyerMayAnswer, Reply.json(200, ACCEPTED)));
    private EmbeddedPostgresService postgres;
    private RouterUnderTest router;

    @AfterEach
    void stop() {
        buyerMayAnswer.countDown();
        if (router != null) {
            router.close();
        }
        buyer.close();
        if (postgres != null) {
            postgres.stop();
        }
    }

    @Test
    void intakeRefusesWith503AndDeliveriesInFlightFinishWhenTheDatabaseIsBack() throws Exception {
        postgres = new EmbeddedPostgresService(RouterUnderTest.freePort(), Files.createTempDirectory("outage-postgres"));
        postgres.start();
        router = RouterUnderTest.builder()
                .database(postgres.jdbcUrl())
                .property("leadrouter.datasource.connect-timeout-ms", "1000")
                .start();
        router.installBuyer("buyer.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads"))
                .replace("timeout_ms: 1500", "timeout_ms: 20000"));
        EventBooks books = new EventBooks(router);

        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            accepted.add(router.postLead(SAMPLE_LEAD));
        }
        // every lead is now at the buyer, which holds its answers
        await().atMost(Duration.ofSeconds(10)).until(() -> buyer.requestCount() == 5);

        // a client keeps posting leads (with ids of its own) through the outage
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        AtomicBoolean posting = new AtomicBoolean(true);
        Thread client = new Thread(() -> {
            while (posting.get()) {
                String leadId = LeadIds.next();
                answers.put(leadId, router.post("/leads", "application/json", KafkaLeads.withLeadId(leadId, SAMPLE_LEAD)).statusCode());
            }
        });
        client.start();
        postgres.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> answers.containsValue(503));
        HttpResponse<String> refused = router.post("/leads", "application/json", SAMPLE_LEAD);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("the lead store is unavailable"), refused.body());

        // the buyer answers while the database is away: the outcomes wait to be written
        buyerMayAnswer.countDown();
        postgres.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> answers.values().stream().filter(status -> status == 202).count() > 5);
        posting.set(false);
        client.join();
        answers.forEach((leadId, status) -> {
            if (status == 202) {
                accepted.add(leadId);
            }
        });
        assertEquals(Set.of(202, 503), Set.copyOf(answers.values()), "the client saw only 202 and 503: " + answers.values());

        accepted.forEach(router::awaitCompleted);
        assertEquals(0, books.leadsNotFinished());
        assertEquals(accepted.size(), router.count("select count(distinct lead_id) from recipient_events where event_type = 'recipient.delivered'"),
                "every lead answered 202 was delivered");
        books.assertBuyerRequestsExplainedByAttempts(buyer.requests());
        assertEquals(accepted.size(), buyer.requestCount(), "no delivery was repeated");
        try (FirehoseReader firehose = new FirehoseReader(router.eventsTopic())) {
            books.assertFirehoseMatchesTable(firehose.awaitDistinctEvents((int) books.eventsInTable(), Duration.ofSeconds(30)));
        }
    }
}
