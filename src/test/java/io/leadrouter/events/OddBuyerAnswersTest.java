package io.leadrouter.events;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.EventBooks;
import io.leadrouter.testing.FirehoseReader;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Buyers whose answers PostgreSQL cannot store as they are (a {@code \u0000}, a 10,000-digit payout)
 * and a buyer file with {@code price: 1e99999999}, beside hundreds of normal deliveries made at the
 * same time, all five buyers in one wave: every event of every lead is in the table and on the
 * firehose, each lead's in exactly its seq order; the odd answers are stored flagged, never lost.
 */
class OddBuyerAnswersTest {

    private static final int LEADS = 200;
    private static final List<String> NORMAL = List.of("rcp_OddNormal00001", "rcp_OddNormal00002", "rcp_OddNormal00003");
    private static final String NUL_BUYER = "rcp_OddNulAnswer01";
    private static final String HUGE_PAYOUT_BUYER = "rcp_OddHugePayout1";
    private static final String NUL_ANSWER = "{\"result\":\"accepted\",\"lead_id\":\"buyer-nul\",\"payout\":45.00,\"message\":\"ok\\u0000\"}";
    private static final String HUGE_PAYOUT_ANSWER = "{\"result\":\"accepted\",\"lead_id\":\"buyer-huge\",\"payout\":" + "9".repeat(10_000) + "}";

    private static final List<StubBuyer> stubs = new ArrayList<>();
    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        router = RouterUnderTest.start();
        for (String id : NORMAL) {
            install(id, Reply.json(200, ACCEPTED));
        }
        install(NUL_BUYER, Reply.json(200, NUL_ANSWER));
        install(HUGE_PAYOUT_BUYER, Reply.json(200, HUGE_PAYOUT_ANSWER));
    }

    private static void install(String id, Reply reply) {
        StubBuyer stub = StubBuyer.answering(reply);
        stubs.add(stub);
        // same priority, not exclusive: the five buyers are one wave, offered each lead at the same time
        router.installBuyer(id + ".yaml", id, BuyerFiles.jsonBuyer(id, stub.url("/leads")));
    }

    @AfterAll
    static void stop() {
        router.close();
        stubs.forEach(StubBuyer::close);
    }

    @Test
    void oddAnswersAreStoredFlaggedAndNoOtherEventIsLostOrReordered() throws Exception {
        List<String> leads = IntStream.range(0, LEADS).parallel().mapToObj(i -> router.postLead(SAMPLE_LEAD)).toList();
        router.writeBuyer("huge-price.yaml", BuyerFiles.jsonBuyer("rcp_OddHugePrice01", "https://example.com/leads")
                .replace("price: 45.00", "price: 1e99999999"));

        EventBooks books = new EventBooks(router);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> books.leadsNotFinished() == 0);
        assertEquals(0, router.count("select count(*) from dead_letters"), "no lead fails for a neighbour's answer");
        assertEquals(LEADS * 5L, router.count("select count(*) from recipient_events where event_type = 'recipient.delivered'"),
                "every lead is delivered to all five buyers, with its event");
        assertEquals(0, router.count("select count(*) from recipient_events where event ? 'metadata' and event -> 'metadata' ? 'sanitized'"
                + " and recipient_id not in ('" + NUL_BUYER + "', '" + HUGE_PAYOUT_BUYER + "')"), "normal events are stored as they came");

        JsonNode nul = delivered(leads.get(0), NUL_BUYER);
        assertTrue(nul.path("metadata").path("sanitized").asBoolean(), nul.toPrettyString());
        assertEquals("response.body", nul.path("metadata").path("sanitized_fields").path(0).asText());
        assertEquals(NUL_ANSWER, nul.path("response").path("body").asText(), "the buyer's answer, kept as escaped text");
        assertEquals("buyer-nul", nul.path("response").path("parsed").path("buyer_lead_id").asText());
        assertEquals("45.00", nul.path("delivery").path("price").decimalValue().toPlainString());
        assertEquals("32.50", nul.path("delivery").path("margin").decimalValue().toPlainString());

        JsonNode huge = delivered(leads.get(0), HUGE_PAYOUT_BUYER);
        assertEquals("45.00", huge.path("delivery").path("price").decimalValue().toPlainString(), "the file's price stands");
        assertTrue(huge.path("response").path("parsed").path("details").asText().startsWith("response.payout: "), huge.toPrettyString());
        assertEquals("buyer-huge", huge.path("response").path("parsed").path("buyer_lead_id").asText());
        assertTrue(huge.path("metadata").path("sanitized").asBoolean(), "the 10,000-digit number is kept as text");
        assertEquals(LEADS * 2L, router.count("select count(*) from recipient_events where event_type = 'recipient.delivered'"
                + " and (event -> 'metadata' ->> 'sanitized')::boolean"), "each odd answer is flagged, every time");

        try (FirehoseReader firehose = new FirehoseReader(router.eventsTopic())) {
            books.assertFirehoseMatchesTable(firehose.awaitDistinctEvents(LEADS * 10, Duration.ofSeconds(60)));
        }

        JsonNode refused = fileEntry("huge-price.yaml");
        assertTrue(refused.path("problem").asText().endsWith("huge-price.yaml: price: must be at most 1000000"), refused.toString());
        assertTrue(!router.get("/buyers").body().contains("\"id\":\"rcp_OddHugePrice01\""), "the buyer is not in force");
    }

    private static JsonNode delivered(String leadId, String buyerId) {
        for (JsonNode event : RouterUnderTest.ofType(router.events(leadId), RecipientEvents.DELIVERED)) {
            if (event.path("recipient").path("id").asText().equals(buyerId)) {
                return event;
            }
        }
        throw new AssertionError("no delivered event of " + leadId + " to " + buyerId);
    }

    private static JsonNode fileEntry(String fileName) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode file : RouterUnderTest.read(router.get("/buyers").body()).path("files")) {
                if (file.path("file").asText().equals(fileName)) {
                    return file;
                }
            }
            return null;
        }, file -> file != null && !file.path("problem").isNull());
    }
}
