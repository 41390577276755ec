package io.leadrouter.resilience;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.intake.LeadIds;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.EventBooks;
import io.leadrouter.testing.FirehoseReader;
import io.leadrouter.testing.KafkaLeads;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two router instances share one database and one consumer group on the leads topic: the leads
 * spread over both, and when one stops mid-load the other takes its partitions and its unfinished
 * leads, with nothing lost and nothing delivered twice.
 */
class ScaleOutTest {

    private static final String BUYER = "rcp_ScaleOutBuyer01";
    private static final int LEADS = 300;
    private final StubBuyer buyer = StubBuyer.answering(Reply.after(Duration.ofMillis(10), Reply.json(200, ACCEPTED)));
    private final List<RouterUnderTest> routers = new ArrayList<>();

    @AfterEach
    void stop() {
        routers.forEach(RouterUnderTest::close);
        buyer.close();
    }

    @Test
    void leadsSpreadOverTwoInstancesAndTheSurvivorFinishesWhenOneStopsMidLoad() throws Exception {
        String group = "scale-out-" + System.nanoTime();
        RouterUnderTest first = start(RouterUnderTest.builder().property("leadrouter.intake.kafka-group", group));
        first.installBuyer("buyer.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads")));
        RouterUnderTest second = start(RouterUnderTest.builder().sameStorageAs(first).property("leadrouter.intake.kafka-group", group));
        second.awaitBuyer(BUYER);
        KafkaLeads.awaitGroupSpread(group, 2);
        EventBooks books = new EventBooks(first);

        try (KafkaProducer<String, String> producer = KafkaLeads.producer()) {
            for (int i = 0; i < LEADS; i++) {
                String leadId = LeadIds.next();
                // keyed by lead_id: the partition, and so the instance, follows the lead
                producer.send(new ProducerRecord<>(first.leadsTopic(), leadId, KafkaLeads.withLeadId(leadId, SAMPLE_LEAD)));
            }
        }
        // both instances have taken leads in (and some are still unfinished) before one stops
        await().atMost(Duration.ofSeconds(60)).until(() ->
                first.count("select count(distinct owner) from leads") == 2 && buyer.requestCount() >= LEADS / 4);
        assertTrue(books.leadsNotFinished() > 0, "the stop comes mid-load");
        first.close();
        routers.remove(first);

        // on a loaded machine the buyer may time out often enough to open its circuit: then the survivor
        // probes it and delivers the held leads (RouterUnderTest's cool-down is a second), which the books wait for too
        await().atMost(Duration.ofSeconds(90)).until(() ->
                books.leadsStored() == LEADS && books.leadsNotFinished() == 0 && first.count("select count(*) from held_leads") == 0);
        assertEquals(LEADS, first.count("select count(distinct lead_id) from recipient_events where event_type = 'recipient.delivered'"),
                "every lead was delivered");
        books.assertBuyerRequestsExplainedByAttempts(buyer.requests());
        try (FirehoseReader firehose = new FirehoseReader(first.eventsTopic())) {
            books.assertFirehoseMatchesTable(firehose.awaitDistinctEvents((int) books.eventsInTable(), Duration.ofSeconds(60)));
        }
    }

    private RouterUnderTest start(RouterUnderTest.Builder builder) throws Exception {
        RouterUnderTest router = builder.start();
        routers.add(router);
        return router;
    }
}
