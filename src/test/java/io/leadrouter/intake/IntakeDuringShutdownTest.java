package io.leadrouter.intake;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static io.leadrouter.testing.JsonErrors.assertJsonError;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /leads} while the router stops gracefully (a delivery still in flight keeps the stop
 * going): answered 503 in the JSON error shape with {@code Retry-After}, never an empty 503, and the
 * refused lead is not stored.
 */
class IntakeDuringShutdownTest {

    private static final String BUYER = "rcp_Int4keShutdownBuyer";

    @Test
    void aLeadPostedWhileTheRouterStopsIsAnswered503InJsonWithRetryAfter() throws Exception {
        try (StubBuyer slowBuyer = StubBuyer.answering(Reply.after(Duration.ofSeconds(4), Reply.json(200, ACCEPTED)))) {
            RouterUnderTest router = RouterUnderTest.builder().property("camel.main.shutdown-timeout", "10").start();
            router.installBuyer("slow.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, slowBuyer.url("/leads"))
                    .replace("timeout_ms: 1500", "timeout_ms: 8000"));
            String inFlight = router.postLead(SAMPLE_LEAD);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slowBuyer.requestCount() == 1);

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(router::close);
            AtomicReference<HttpResponse<String>> refused = new AtomicReference<>();
            AtomicReference<String> refusedId = new AtomicReference<>();
            Awaitility.await("a 503 while the router stops").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        try {
                            String leadId = LeadIds.next(); // before the stop begins, a lead may still be taken in
                            HttpResponse<String> response = router.post("/leads", "application/json",
                                    "{\"lead_id\":\"" + leadId + "\",\"first_name\":\"Late\"}");
                            if (response.statusCode() == 503) {
                                refused.set(response);
                                refusedId.set(leadId);
                            }
                            return refused.get() != null;
                        } catch (UncheckedIOException serverGone) {
                            throw new AssertionError("the server went away before answering 503", serverGone);
                        }
                    });
            assertJsonError(refused.get(), 503, "the router is stopping; try again later");
            assertEquals("5", refused.get().headers().firstValue("Retry-After").orElse(""));
            stopping.get();
            // the delivery in flight finished within the stop; the refused lead left nothing
            assertEquals(1, router.count("select count(*) from recipient_events where event_type = 'recipient.delivered' and lead_id = '"
                    + inFlight + "'"));
            assertEquals(0, router.count("select count(*) from leads where lead_id = '" + refusedId.get() + "'"));
        }
    }
}
