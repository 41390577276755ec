package io.leadrouter.routing;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static io.leadrouter.testing.RouterUnderTest.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Buyers are tried in priority order; an exclusive sale ends the lead's journey. */
class BuyerOrderTest {

    private static final String REJECTED = "{\"result\":\"rejected\",\"message\":\"not interested\"}";
    private final StubBuyer first = StubBuyer.answering(Reply.json(200, REJECTED));
    private final StubBuyer exclusive = StubBuyer.answering(Reply.json(200, ACCEPTED));
    private final StubBuyer last = StubBuyer.answering(Reply.json(200, ACCEPTED));
    private RouterUnderTest router;

    @AfterEach
    void stop() {
        router.close();
        first.close();
        exclusive.close();
        last.close();
    }

    @Test
    void anExclusiveSaleStopsTheLeadAtThatBuyer() throws Exception {
        router = RouterUnderTest.start();
        // Written in the opposite order of priority: the files' order must not matter.
        router.installBuyer("c.yaml", "rcp_OrderLast000003", BuyerFiles.jsonBuyer("rcp_OrderLast000003", "Last", last.url("/"), 30, false, 1));
        router.installBuyer("b.yaml", "rcp_OrderExclusive02", BuyerFiles.jsonBuyer("rcp_OrderExclusive02", "Exclusive", exclusive.url("/"), 20, true, 1));
        router.installBuyer("a.yaml", "rcp_OrderFirst00001", BuyerFiles.jsonBuyer("rcp_OrderFirst00001", "First", first.url("/"), 10, false, 1));

        String leadId = router.postLead(SAMPLE_LEAD);
        router.awaitCompleted(leadId);
        JsonNode events = router.events(leadId);

        List<String> order = ofType(events, "recipient.delivery_attempt").stream()
                .map(e -> e.path("recipient").path("id").asText()).toList();
        assertEquals(List.of("rcp_OrderFirst00001", "rcp_OrderExclusive02"), order);
        assertEquals(1, first.requestCount());
        assertEquals(1, exclusive.requestCount());
        assertEquals(0, last.requestCount(), "the lead was sold exclusively");
    }

    @Test
    void aDeadLetteredBuyerDoesNotStopTheLeadGoingToTheNextOne() throws Exception {
        try (StubBuyer down = StubBuyer.answering(Reply.json(503, "{\"error\":\"down\"}"))) {
            router = RouterUnderTest.start();
            router.installBuyer("a.yaml", "rcp_DownFirst000001", BuyerFiles.jsonBuyer("rcp_DownFirst000001", "Down", down.url("/"), 10, false, 2));
            router.installBuyer("b.yaml", "rcp_UpSecond0000002", BuyerFiles.jsonBuyer("rcp_UpSecond0000002", "Up", last.url("/"), 20, false, 1));

            String leadId = router.postLead(SAMPLE_LEAD);
            router.awaitCompleted(leadId);

            assertEquals(2, down.requestCount());
            assertEquals(1, router.count("select count(*) from dead_letters where lead_id = '" + leadId + "'"));
            assertEquals(1, last.requestCount(), "the next buyer still receives the lead");
            assertEquals(1, ofType(router.events(leadId), "recipient.delivered").size());
        }
    }

    @Test
    void nonExclusiveBuyersEachReceiveTheLeadButAnExclusiveOneNoLongerDoes() throws Exception {
        router = RouterUnderTest.start();
        router.installBuyer("a.yaml", "rcp_SharedFirst0001", BuyerFiles.jsonBuyer("rcp_SharedFirst0001", "Shared", last.url("/"), 10, false, 1));
        router.installBuyer("b.yaml", "rcp_ExclusiveLate02", BuyerFiles.jsonBuyer("rcp_ExclusiveLate02", "Exclusive", exclusive.url("/"), 20, true, 1));
        router.installBuyer("c.yaml", "rcp_SharedSecond003", BuyerFiles.jsonBuyer("rcp_SharedSecond003", "Shared 2", first.url("/"), 30, false, 1));

        String leadId = router.postLead(SAMPLE_LEAD);
        router.awaitCompleted(leadId);
        JsonNode events = router.events(leadId);

        List<String> order = ofType(events, "recipient.delivery_attempt").stream()
                .map(e -> e.path("recipient").path("id").asText()).toList();
        assertEquals(List.of("rcp_SharedFirst0001", "rcp_SharedSecond003"), order,
                "an exclusive buyer is not offered a lead already sold");
        assertEquals(0, exclusive.requestCount());
    }

    @Test
    void nonExclusiveNeighboursReceiveTheLeadAtOnceAndAnExclusiveOneWaitsForTheirAnswers() throws Exception {
        // The first buyer answers only once the second has the lead (or after its timeout): one by
        // one, the first would time out; together, both buy. The exclusive buyer after them waits
        // for both answers, and is not offered a lead they bought.
        CountDownLatch secondHasIt = new CountDownLatch(1);
        Reply accepted = Reply.json(200, ACCEPTED);
        try (StubBuyer waiting = StubBuyer.answering(Reply.once(secondHasIt, accepted));
                StubBuyer signalling = StubBuyer.answering((exchange, closing) -> {
                    secondHasIt.countDown();
                    accepted.send(exchange, closing);
                })) {
            router = RouterUnderTest.start();
            router.installBuyer("a.yaml", "rcp_WaveWaiting0001", BuyerFiles.jsonBuyer("rcp_WaveWaiting0001", "Waiting", waiting.url("/"), 10, false, 1));
            router.installBuyer("b.yaml", "rcp_WaveSignal00002", BuyerFiles.jsonBuyer("rcp_WaveSignal00002", "Signal", signalling.url("/"), 20, false, 1));
            router.installBuyer("c.yaml", "rcp_WaveExclusive03", BuyerFiles.jsonBuyer("rcp_WaveExclusive03", "Exclusive", exclusive.url("/"), 30, true, 1));

            String leadId = router.postLead(SAMPLE_LEAD);
            router.awaitCompleted(leadId);
            JsonNode events = router.events(leadId);

            List<String> buyers = ofType(events, "recipient.delivered").stream()
                    .map(e -> e.path("recipient").path("id").asText()).sorted().toList();
            assertEquals(List.of("rcp_WaveSignal00002", "rcp_WaveWaiting0001"), buyers);
            assertEquals(0, ofType(events, "recipient.failed").size());
            assertEquals(0, exclusive.requestCount(), "the lead was sold before the exclusive buyer's turn");
        }
    }
}
