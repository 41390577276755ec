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
import io.leadrouter.testing.PostingClients;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL goes away while deliveries are in flight: intake answers 503 and stores nothing, the
 * deliveries pause until their events can be written, and everything goes on by itself when the
 * database is back. Neither an outage nor connections cut by an administrator end a delivery: no
 * lead is dead-lettered for it, and none reaches the buyer twice.
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
    void connectionsTerminatedOverAndOverUnderLoadDeadLetterNothingAndDeliverEveryLeadOnce() throws Exception {
        StubBuyer quickBuyer = StubBuyer.answering(Reply.after(Duration.ofMillis(20), Reply.json(200, ACCEPTED)));
        router = RouterUnderTest.builder().property("leadrouter.datasource.connect-timeout-ms", "1000").start();
        try (quickBuyer) {
            router.installBuyer("buyer.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, quickBuyer.url("/leads")));
            ScheduledExecutorService terminator = Executors.newSingleThreadScheduledExecutor();
            AtomicInteger terminated = new AtomicInteger();
            try (PostingClients clients = PostingClients.start(router, 2, SAMPLE_LEAD); Connection admin = router.connect()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> quickBuyer.requestCount() >= 20);
                // what an administrator's pg_terminate_backend (or a failover) does to every connection of the router
                terminator.scheduleAtFixedRate(() -> terminated.addAndGet(terminateRouterConnections(admin)), 0, 200, TimeUnit.MILLISECONDS);
                int before = quickBuyer.requestCount();
                await().atMost(Duration.ofSeconds(30)).until(() -> terminated.get() >= 60 && quickBuyer.requestCount() >= before + 100);
                terminator.shutdown();
                assertTrue(terminator.awaitTermination(10, TimeUnit.SECONDS));
                await().atMost(Duration.ofSeconds(10)).until(() -> clients.accepted().size() >= before + 20);
                clients.close();
                System.out.printf("terminations: %d connections cut, %d leads accepted, %d refused%n",
                        terminated.get(), clients.accepted().size(), clients.refused());
                assertEveryStoredLeadDeliveredOnceAndNoneDeadLettered(clients.accepted(), quickBuyer);
            } finally {
                terminator.shutdownNow();
            }
        }
    }

    @Test
    void aTwentySecondOutageUnderLoadDeadLettersNothingAndDeliversEveryLeadOnce() throws Exception {
        StubBuyer quickBuyer = StubBuyer.answering(Reply.after(Duration.ofMillis(20), Reply.json(200, ACCEPTED)));
        startRouterOnAPostgresOfItsOwn();
        router.installBuyer("buyer.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, quickBuyer.url("/leads")));
        try (quickBuyer; PostingClients clients = PostingClients.start(router, 2, SAMPLE_LEAD)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> quickBuyer.requestCount() >= 50);
            postgres.stop();
            // for twenty seconds the database is gone: intake refuses, deliveries hold
            await().pollDelay(Duration.ofSeconds(1)).during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(30))
                    .until(() -> router.post("/leads", "application/json", SAMPLE_LEAD).statusCode() == 503);
            postgres.start();
            int acceptedBefore = clients.accepted().size();
            await().atMost(Duration.ofSeconds(30)).until(() -> clients.accepted().size() >= acceptedBefore + 20);
            clients.close();
            System.out.printf("outage: %d leads accepted, %d refused%n", clients.accepted().size(), clients.refused());
            assertEveryStoredLeadDeliveredOnceAndNoneDeadLettered(clients.accepted(), quickBuyer);
        }
    }

    private void assertEveryStoredLeadDeliveredOnceAndNoneDeadLettered(Set<String> accepted, StubBuyer quickBuyer) throws Exception {
        EventBooks books = new EventBooks(router);
        await().atMost(Duration.ofSeconds(60)).until(() -> books.leadsNotFinished() == 0);
        assertEquals("", text("select coalesce(string_agg(failure::text, ' | '), '') from dead_letters"), "no lead was dead-lettered");
        for (String leadId : accepted) {
            assertEquals(1, router.count("select count(*) from leads where lead_id = '" + leadId + "'"), "accepted lead " + leadId + " stored");
        }
        long stored = books.leadsStored();
        assertEquals(stored, router.count("select count(distinct lead_id) from recipient_events where event_type = 'recipient.delivered'"),
                "every stored lead was delivered");
        books.assertBuyerRequestsExplainedByAttempts(quickBuyer.requests());
        assertEquals(stored, quickBuyer.requests().stream().map(r -> r.header("Idempotency-Key")).distinct().count());
        assertEquals(stored, quickBuyer.requestCount(), "no lead reached the buyer twice");
    }

    /** A PostgreSQL this test may stop and start, and the router on it. */
    private void startRouterOnAPostgresOfItsOwn() throws Exception {
        postgres = new EmbeddedPostgresService(RouterUnderTest.freePort(), Files.createTempDirectory("outage-postgres"));
        postgres.start();
        router = RouterUnderTest.builder()
                .database(postgres.jdbcUrl(), postgres.superuserPassword())
                .property("leadrouter.datasource.connect-timeout-ms", "1000")
                .start();
    }

    private String text(String sql) throws Exception {
        try (Connection connection = router.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Terminates every session on the router's database but this one; answers how many. */
    private static int terminateRouterConnections(Connection admin) {
        try (Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("""
                        select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity
                        where datname = current_database() and pid <> pg_backend_pid()""")) {
            rs.next();
            return rs.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void intakeRefusesWith503AndDeliveriesInFlightFinishWhenTheDatabaseIsBack() throws Exception {
        startRouterOnAPostgresOfItsOwn();
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
