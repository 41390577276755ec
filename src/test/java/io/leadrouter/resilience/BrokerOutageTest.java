package io.leadrouter.resilience;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.dev.EmbeddedKafkaService;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.EventBooks;
import io.leadrouter.testing.FirehoseReader;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka goes away under load: intake and delivery go on, every event lands in the table, and when
 * the broker is back the firehose catches up by itself (even across a router restart), in per-lead
 * order, with the original event_ids.
 */
class BrokerOutageTest {

    private static final String BUYER = "rcp_BrokerOutage001";
    private final StubBuyer buyer = StubBuyer.answering(Reply.json(200, ACCEPTED));
    private final List<RouterUnderTest> routers = new ArrayList<>();
    private EmbeddedKafkaService broker;

    @AfterEach
    void stop() {
        routers.forEach(RouterUnderTest::close);
        buyer.close();
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void whileTheBrokerIsDownLeadsAreDeliveredAndTheFirehoseCatchesUpAfterwardsAcrossARestart() throws Exception {
        broker = new EmbeddedKafkaService("127.0.0.1", 0, Files.createTempDirectory("outage-kafka"));
        broker.start();
        RouterUnderTest router = start(RouterUnderTest.builder());
        router.installBuyer("buyer.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads")));
        EventBooks books = new EventBooks(router);

        List<String> before = postLeads(router, 10);
        before.forEach(router::awaitCompleted);

        broker.stop();
        List<String> during = postLeads(router, 30);
        during.forEach(router::awaitCompleted);
        assertEquals(2 * 40, books.eventsInTable(), "every event of every lead is in the table while the broker is down");
        assertTrue(books.waitingInOutbox() > 0, "the events written during the outage wait in the outbox");

        // stopped and started again before the broker comes back: the outbox survives the restart
        router.close();
        routers.remove(router);
        RouterUnderTest restarted = start(RouterUnderTest.builder().sameStorageAs(router));
        List<String> afterRestart = postLeads(restarted, 10);
        afterRestart.forEach(restarted::awaitCompleted);

        broker.start();
        try (FirehoseReader firehose = new FirehoseReader(broker.bootstrapServers(), router.eventsTopic())) {
            List<FirehoseReader.Record> records = firehose.awaitDistinctEvents(2 * 50, Duration.ofSeconds(60));
            books.assertFirehoseMatchesTable(records);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> books.waitingInOutbox() == 0);
        assertEquals(50, buyer.requestCount(), "each lead reached the buyer once");
    }

    private RouterUnderTest start(RouterUnderTest.Builder builder) throws Exception {
        RouterUnderTest router = builder.property("leadrouter.kafka.bootstrap-servers", broker.bootstrapServers()).start();
        routers.add(router);
        return router;
    }

    private static List<String> postLeads(RouterUnderTest router, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(router.postLead(SAMPLE_LEAD));
        }
        return ids;
    }
}
