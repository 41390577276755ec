package io.leadrouter.delivery;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static io.leadrouter.testing.RouterUnderTest.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.buyers.BuyerRouteInstaller;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a buyer says of itself in its answers: a 429 or 503 with Retry-After is retried no earlier than
 * it asked (measured on the stub's clock), up to the router's cap; a 410 Gone disables the buyer (no
 * calls, no leads, an alert, GET /buyers says so) until its buyer file changes. One router for all.
 */
class BuyerSignalsTest {

    /** The cap on Retry-After for this router: short, so that the capped wait can be watched. */
    private static final long MAX_RETRY_AFTER_MS = 2500;
    private static RouterUnderTest router;
    private final List<StubBuyer> stubs = new ArrayList<>();
    private final List<String> buyers = new ArrayList<>();

    @BeforeAll
    static void startRouter() throws Exception {
        router = RouterUnderTest.builder().property("leadrouter.delivery.max-retry-after-ms", String.valueOf(MAX_RETRY_AFTER_MS)).start();
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    /** Each test's buyers go, so that the next test's leads are offered to its own buyers only. */
    @AfterEach
    void removeBuyers() throws Exception {
        router.finishLeadsAndDeleteBuyerFiles();
        // until each buyer's route and queue are gone too: taken down in the background, they must not race the next test or the stop
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> buyers.stream().allMatch(router::buyerRemoved));
        stubs.forEach(StubBuyer::close);
    }

    @Test
    void aRetryAfterInSecondsIsWaitedOut() throws Exception {
        StubBuyer stub = stub(Reply.withHeader("Retry-After", "2", Reply.json(503, "{\"error\":\"busy\"}")), Reply.json(200, ACCEPTED));
        install("rcp_RetryAfterSeconds", stub, 1, false);

        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode events = router.awaitEvents(leadId, e -> !ofType(e, "recipient.delivered").isEmpty());

        Duration waited = gap(stub, 0, 1);
        assertTrue(waited.toMillis() >= 2000, "the retry came " + waited.toMillis() + " ms after the 503, not after the 2 s asked");
        assertTrue(waited.toMillis() < MAX_RETRY_AFTER_MS + 1500, "waited " + waited.toMillis() + " ms");
        JsonNode failed = ofType(events, "recipient.failed").get(0);
        assertEquals("Server Error", failed.path("failure").path("reason").asText());
        assertTrue(failed.path("failure").path("retry_eligible").asBoolean());
        assertEquals("HTTP 503 from buyer; it asked to retry after 2 s (Retry-After)", failed.path("failure").path("details").asText());
        assertEquals(2, ofType(events, "recipient.delivery_attempt").size(), "one attempt each");
    }

    @Test
    void aTooManyRequestsWithAnHttpDateIsRetriedNoEarlierThanThatDate() throws Exception {
        AtomicReference<Instant> askedFor = new AtomicReference<>();
        StubBuyer stub = stub(Reply.withHeader("Retry-After", () -> {
            // whole seconds, as HTTP-dates are: the wait is between one and two seconds
            Instant at = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
            askedFor.set(at);
            return DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
        }, Reply.json(429, "{\"message\":\"slow down\"}")), Reply.json(200, ACCEPTED));
        install("rcp_RetryAfterHttpDate", stub, 1, false);

        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode events = router.awaitEvents(leadId, e -> !ofType(e, "recipient.delivered").isEmpty());

        Instant retried = stub.requests().get(1).arrivedAt();
        assertFalse(retried.isBefore(askedFor.get()), "retried at " + retried + ", the buyer asked for " + askedFor.get());
        JsonNode failed = ofType(events, "recipient.failed").get(0);
        assertEquals("Server Error", failed.path("failure").path("reason").asText(), "a 429 with Retry-After is technical");
        assertEquals("technical", failed.path("failure").path("category").asText());
    }

    @Test
    void aLongRetryAfterIsCappedByTheRouter() throws Exception {
        StubBuyer stub = stub(Reply.withHeader("Retry-After", "3600", Reply.json(503, "")), Reply.json(200, ACCEPTED));
        install("rcp_RetryAfterCapped", stub, 1, false);

        String leadId = router.postLead(SAMPLE_LEAD);
        router.awaitEvents(leadId, e -> !ofType(e, "recipient.delivered").isEmpty());

        Duration waited = gap(stub, 0, 1);
        assertTrue(waited.toMillis() >= MAX_RETRY_AFTER_MS, "waited " + waited.toMillis() + " ms, less than the cap");
        assertTrue(waited.toMillis() < MAX_RETRY_AFTER_MS + 1500, "waited " + waited.toMillis() + " ms, not the cap");
    }

    @Test
    void aGoneBuyerIsDisabledUntilItsFileChanges() throws Exception {
        String goneId = "rcp_GoneBuyer410";
        String otherId = "rcp_NextToGone";
        StubBuyer gone = stub(Reply.json(410, "{\"message\":\"endpoint retired\"}"));
        StubBuyer other = stub(Reply.json(200, ACCEPTED));
        Path goneFile = install(goneId, gone, 1, false);
        install(otherId, other, 2, false);

        String first = router.postLead(SAMPLE_LEAD);
        router.awaitCompleted(first);
        JsonNode events = router.events(first);
        JsonNode failed = ofType(events, "recipient.failed").get(0);
        assertEquals(goneId, failed.path("recipient").path("id").asText());
        assertEquals("Rejected", failed.path("failure").path("reason").asText());
        assertEquals("business", failed.path("failure").path("category").asText());
        assertFalse(failed.path("failure").path("retry_eligible").asBoolean());
        assertEquals(1, gone.requestCount(), "no retry after a 410");
        assertEquals(1, ofType(events, "recipient.delivered").size(), "the other buyer got the lead");

        JsonNode listed = buyer(goneId);
        assertTrue(listed.path("gone").path("details").asText().startsWith("HTTP 410 Gone"), listed.toPrettyString());
        assertEquals(first, listed.path("gone").path("lead_id").asText());
        assertTrue(buyer(otherId).path("gone").isNull());
        // shared with every instance, and kept across restarts, for this file's content
        assertEquals(List.of(sha256(goneFile)), router.texts("select file_hash from buyer_gone where recipient_id = '" + goneId + "'"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> openGoneAlerts(goneId) == 1);

        String second = router.postLead(SAMPLE_LEAD);
        router.awaitCompleted(second);
        assertEquals(1, gone.requestCount(), "a gone buyer is not called");
        assertEquals(2, other.requestCount());
        JsonNode secondEvents = router.events(second);
        assertEquals(0, secondEvents.findValues("recipient").stream().filter(r -> r.path("id").asText().equals(goneId)).count(),
                "a gone buyer is offered no lead: " + secondEvents.toPrettyString());
        JsonNode details = RouterUnderTest.read(router.call("GET", "/leads/" + second, router.adminKey(), null, null).body());
        JsonNode goneInDetails = null;
        for (JsonNode buyer : details.path("buyers")) {
            goneInDetails = buyer.path("recipient_id").asText().equals(goneId) ? buyer : goneInDetails;
        }
        assertEquals("gone", goneInDetails.path("rule").path("decision").asText(), details.toPrettyString());
        assertTrue(goneInDetails.path("why").asText().startsWith("not offered: the buyer answered 410 Gone"), goneInDetails.toString());

        gone.answerFromNowOn(Reply.json(200, ACCEPTED));
        router.writeBuyer(goneId + ".yaml", buyerFile(goneId, gone, 1, false).replace("tier: premium", "tier: standard"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> buyer(goneId).path("gone").isNull());
        String third = router.postLead(SAMPLE_LEAD);
        router.awaitCompleted(third);
        assertEquals(2, gone.requestCount(), "a changed file calls the buyer again");
        assertEquals(2, ofType(router.events(third), "recipient.delivered").size());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> openGoneAlerts(goneId) == 0);
        assertEquals(1, router.count("select count(*) from alerts where alert = 'buyer_gone' and recipient_id = '" + goneId + "'"));
    }

    /** Whether the buyer is out of the catalog, its route removed and its queue gone. */
    private long openGoneAlerts(String buyerId) {
        return router.count("select count(*) from alerts where alert = 'buyer_gone' and resolved_at is null and recipient_id = '" + buyerId + "'");
    }

    private static JsonNode buyer(String id) {
        for (JsonNode buyer : RouterUnderTest.read(router.get("/buyers").body()).path("buyers")) {
            if (buyer.path("id").asText().equals(id)) {
                return buyer;
            }
        }
        throw new AssertionError(id + " is not listed");
    }

    private StubBuyer stub(Reply... replies) {
        StubBuyer stub = StubBuyer.answering(replies);
        stubs.add(stub);
        return stub;
    }

    private Path install(String id, StubBuyer stub, int priority, boolean exclusive) {
        buyers.add(id);
        router.installBuyer(id + ".yaml", id, buyerFile(id, stub, priority, exclusive));
        return router.buyersDir().resolve(id + ".yaml");
    }

    private static String buyerFile(String id, StubBuyer stub, int priority, boolean exclusive) {
        return BuyerFiles.neverOpening(BuyerFiles.jsonBuyer(id, "Buyer " + id, stub.url("/leads"), priority, exclusive, 3));
    }

    private static Duration gap(StubBuyer stub, int from, int to) {
        return Duration.between(stub.requests().get(from).arrivedAt(), stub.requests().get(to).arrivedAt());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readString(file).getBytes(StandardCharsets.UTF_8)));
    }
}
