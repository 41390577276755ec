package io.leadrouter.resilience;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.dev.EmbeddedPostgresService;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.EventBooks;
import io.leadrouter.testing.FirehoseReader;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

        postgres.stop();
        HttpResponse<String> refused = router.post("/leads", "application/json", SAMPLE_LEAD);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("the lead store is unavailable"), refused.body());

        // the buyer answers while the database is away: the outcomes wait to be written
        buyerMayAnswer.countDown();
        postgres.start();

        accepted.forEach(router::awaitCompleted);
        assertEquals(5, router.count("select count(*) from leads"), "the refused lead was not stored");
        assertEquals(5, router.count("select count(*) from recipient_events where event_type = 'recipient.delivered'"));
        assertEquals(10, books.eventsInTable());
        assertEquals(5, buyer.requestCount(), "no delivery was repeated");
        try (FirehoseReader firehose = new FirehoseReader(router.eventsTopic())) {
            books.assertFirehoseMatchesTable(firehose.awaitDistinctEvents(10, Duration.ofSeconds(30)));
        }
    }
}
