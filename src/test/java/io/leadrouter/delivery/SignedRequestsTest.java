package io.leadrouter.delivery;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.ReceivedRequest;
import io.leadrouter.testing.StubBuyer.Reply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A buyer with {@code signing} gets every request signed the Standard Webhooks way, checked here by
 * a verifier written from the specification ({@link #verify}), not with the router's code: the
 * signature holds for the body received and fails for a changed body or another secret, and the
 * webhook-id is the same for every attempt and the replay of a lead.
 */
class SignedRequestsTest {

    private static final String BUYER = "rcp_signed";
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(randomBytes(32));

    private StubBuyer buyer;
    private RouterUnderTest router;

    @AfterEach
    void stop() {
        if (router != null) {
            router.close();
        }
        if (buyer != null) {
            buyer.close();
        }
    }

    @Test
    void eachRequestIsSignedSoTheBuyerCanVerifyIt() throws Exception {
        start(StubBuyer.answering(Reply.json(200, ACCEPTED)), 1);

        String leadId = router.postLead(SAMPLE_LEAD);
        router.awaitOutcomes(leadId, 1);
        ReceivedRequest request = buyer.requests().get(0);

        assertTrue(verify(SECRET, request.header("webhook-id"), request.header("webhook-timestamp"), request.body(),
                request.header("webhook-signature")), request.headers().toString());
        assertEquals(request.header("Idempotency-Key"), request.header("webhook-id"));
        long sentAt = Long.parseLong(request.header("webhook-timestamp"));
        assertTrue(Math.abs(Instant.now().getEpochSecond() - sentAt) <= 300, "within the specification's 5 minutes: " + sentAt);

        assertFalse(verify(SECRET, request.header("webhook-id"), request.header("webhook-timestamp"),
                request.body().replace("Ann", "Bob"), request.header("webhook-signature")), "a changed body fails");
        assertFalse(verify("whsec_" + Base64.getEncoder().encodeToString(randomBytes(32)), request.header("webhook-id"),
                request.header("webhook-timestamp"), request.body(), request.header("webhook-signature")), "another secret fails");
        assertFalse(verify(SECRET, request.header("webhook-id"), String.valueOf(sentAt + 1), request.body(),
                request.header("webhook-signature")), "another timestamp fails");

        JsonNode stored = router.events(leadId);
        assertFalse(stored.toString().contains(SECRET.substring(6)), "the secret is in no event");
    }

    @Test
    void theWebhookIdStaysTheSameForEveryRetryAndTheReplay() throws Exception {
        start(StubBuyer.answering(Reply.json(503, "{\"error\":\"down\"}")), 2);

        String leadId = router.postLead(SAMPLE_LEAD);
        router.awaitOutcomes(leadId, 1);
        JsonNode deadLetters = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> RouterUnderTest.read(router.get("/dead-letters").body()), list -> list.size() == 1);
        buyer.answerFromNowOn(Reply.json(200, ACCEPTED));
        assertEquals(202, router.post("/dead-letters/" + deadLetters.get(0).path("id").asLong() + "/replay", null, null).statusCode());
        router.awaitEvents(leadId, events -> !RouterUnderTest.ofType(events, "recipient.delivered").isEmpty());

        List<ReceivedRequest> requests = buyer.requests();
        assertEquals(3, requests.size(), "two attempts and the replay");
        for (ReceivedRequest request : requests) {
            assertEquals(requests.get(0).header("webhook-id"), request.header("webhook-id"));
            assertTrue(verify(SECRET, request.header("webhook-id"), request.header("webhook-timestamp"), request.body(),
                    request.header("webhook-signature")), request.headers().toString());
        }
    }

    @Test
    void aBuyerFileWhoseSigningSecretIsMissingOrNotInItsFormIsRefusedAndSaysWhy() throws Exception {
        buyer = StubBuyer.answering(Reply.json(200, ACCEPTED));
        router = RouterUnderTest.builder().secret("SIGNING_SECRET", "plain-text-not-whsec").start();
        router.writeBuyer("signed.yaml", signedBuyer(1));
        router.writeBuyer("unset.yaml", BuyerFiles.jsonBuyer("rcp_unset", buyer.url("/leads")) + """
                signing:
                  secret_env: NOT_SET_ANYWHERE
                """);

        JsonNode files = Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> RouterUnderTest.read(router.get("/buyers").body()).path("files"), list -> list.size() == 2);
        String problems = files.toString();
        assertTrue(problems.contains("signing.secret_env: environment variable SIGNING_SECRET does not hold a signing secret"
                + " (whsec_ and base64): it does not start with whsec_"), problems);
        assertTrue(problems.contains("signing.secret_env: environment variable NOT_SET_ANYWHERE is not set"), problems);
        assertFalse(problems.contains("plain-text-not-whsec"), "the secret's value is not in the message");
        assertEquals(0, RouterUnderTest.read(router.get("/buyers").body()).path("buyers").size());
    }

    /**
     * The Standard Webhooks verification, from the specification: the key is the base64 after
     * {@code whsec_}; the signed content is {@code id.timestamp.body}; the header holds one or more
     * space-separated {@code v1,<base64 HMAC-SHA256>}, any of which may match.
     */
    private static boolean verify(String secret, String id, String timestamp, String body, String header) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.split("_", 2)[1]), "HmacSHA256"));
        byte[] expected = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        for (String signature : header.split(" ")) {
            String[] versioned = signature.split(",", 2);
            if (versioned.length == 2 && versioned[0].equals("v1")
                    && MessageDigest.isEqual(expected, Base64.getDecoder().decode(versioned[1]))) {
                return true;
            }
        }
        return false;
    }

    private void start(StubBuyer stub, int maxAttempts) throws Exception {
        buyer = stub;
        router = RouterUnderTest.builder().secret("SIGNING_SECRET", SECRET).start();
        router.writeBuyer("signed.yaml", signedBuyer(maxAttempts));
        router.awaitBuyer(BUYER);
    }

    private String signedBuyer(int maxAttempts) {
        return BuyerFiles.jsonBuyer(BUYER, "Signed", buyer.url("/leads"), 1, false, maxAttempts) + """
                signing:
                  secret_env: SIGNING_SECRET
                """;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
