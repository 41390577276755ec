package io.leadrouter.delivery;

import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static io.leadrouter.testing.RouterUnderTest.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.LogCapture;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every failure reason of the vocabulary, provoked for real (a closed port, a silent server, an
 * untrusted certificate, an unknown host, real HTTP answers) and read back through
 * {@code GET /leads/{id}/events}. Technical failures must be attempted max_attempts times, business and
 * authentication failures exactly once.
 *
 * <p>One router serves the whole class. Every buyer receives every lead, so each test first makes its
 * own buyer the only one in the buyers folder (see {@link #onlyBuyer}); tests do not depend on order.
 */
class FailureClassificationTest {

    private static final int MAX_ATTEMPTS = 2;
    private static final String SECRET = "s3cr3t-value-123";

    private static RouterUnderTest router;
    private final List<StubBuyer> stubs = new ArrayList<>();

    @BeforeAll
    static void startRouter() throws Exception {
        router = RouterUnderTest.builder().secret("ACME_KEY", SECRET).start();
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @AfterEach
    void closeStubs() {
        stubs.forEach(StubBuyer::close);
    }

    // ---------------------------------------------------------------- technical: retried

    @Test
    void aClosedPortIsConnectionRefused() {
        int closedPort = RouterUnderTest.freePort();
        String buyerId = onlyBuyer(buyer("rcp_Refused01").url("http://127.0.0.1:" + closedPort + "/leads"));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertTechnical("Connection Refused", MAX_ATTEMPTS);
        failures.assertDetailsMention("connection refused", String.valueOf(closedPort));
    }

    @Test
    void aBuyerThatNeverAnswersIsTimeout() {
        StubBuyer silent = stub(Reply.never());
        String buyerId = onlyBuyer(buyer("rcp_Timeout01").url(silent.url("/leads")).timeoutMs(500));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertTechnical("Timeout", MAX_ATTEMPTS);
        failures.assertDetailsMention("no response", "500 ms");
        assertEquals(MAX_ATTEMPTS, silent.requestCount(), "each attempt reached the silent buyer");
    }

    @Test
    void anUntrustedCertificateIsSslTlsError() {
        StubBuyer tls = track(StubBuyer.answeringOverTls(selfSignedTls(), Reply.json(200, "{\"result\":\"accepted\"}")));
        String buyerId = onlyBuyer(buyer("rcp_Tls01").url(tls.url("/leads")));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertTechnical("SSL/TLS Error", MAX_ATTEMPTS);
        failures.assertDetailsMention("tls");
        assertEquals(0, tls.requestCount(), "no request may pass a failed handshake");
    }

    @Test
    void anUnknownHostIsDnsFailure() {
        String buyerId = onlyBuyer(buyer("rcp_Dns01").url("http://buyer.nope.invalid/leads"));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertTechnical("DNS Failure", MAX_ATTEMPTS);
        failures.assertDetailsMention("buyer.nope.invalid");
    }

    @Test
    void http500IsServerError() {
        StubBuyer broken = stub(Reply.json(500, "{\"error\":\"internal error\"}"));
        String buyerId = onlyBuyer(buyer("rcp_Http500").url(broken.url("/leads")));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertTechnical("Server Error", MAX_ATTEMPTS);
        failures.assertDetailsMention("500");
        assertEquals(MAX_ATTEMPTS, broken.requestCount());
    }

    @Test
    void http503IsServerErrorAttemptedMaxAttemptsTimes() {
        StubBuyer busy = stub(Reply.status(503, "text/html", "<html><body>Service Unavailable</body></html>"));
        String buyerId = onlyBuyer(buyer("rcp_Http503").url(busy.url("/leads")).maxAttempts(3));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertTechnical("Server Error", 3);
        failures.assertDetailsMention("503");
        assertEquals(3, busy.requestCount());
    }

    @Test
    void a2xxWithGarbageBodyIsServerError() {
        StubBuyer garbage = stub(Reply.status(200, "text/html", "<html>Thanks!</html>"));
        String buyerId = onlyBuyer(buyer("rcp_Garbage01").url(garbage.url("/leads")));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertTechnical("Server Error", MAX_ATTEMPTS);
        failures.assertDetailsMention("not valid json");
        assertEquals(MAX_ATTEMPTS, garbage.requestCount());
    }

    // ---------------------------------------------------------------- authentication: not retried

    @Test
    void http401IsInvalidCredentials() {
        StubBuyer unauthorized = stub(Reply.json(401, "{\"error\":\"unauthorized\"}"));
        String buyerId = onlyBuyer(buyer("rcp_Http401").url(unauthorized.url("/leads")));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertFinal("authentication", "Invalid Credentials");
        failures.assertDetailsMention("401");
        assertEquals(1, unauthorized.requestCount());
    }

    @Test
    void http403IsIpNotWhitelisted() {
        StubBuyer forbidden = stub(Reply.json(403, "{\"result\":\"rejected\",\"message\":\"forbidden\"}"));
        String buyerId = onlyBuyer(buyer("rcp_Http403").url(forbidden.url("/leads")));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertFinal("authentication", "IP Not Whitelisted");
        failures.assertDetailsMention("403");
        assertEquals(1, forbidden.requestCount());
    }

    @Test
    void http403SayingInvalidApiKeyIsInvalidCredentials() {
        StubBuyer forbidden = stub(Reply.json(403, "{\"result\":\"rejected\",\"message\":\"invalid api key\"}"));
        String buyerId = onlyBuyer(buyer("rcp_Http403Key").url(forbidden.url("/leads")));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertFinal("authentication", "Invalid Credentials");
        failures.assertDetailsMention("403", "invalid api key");
        assertEquals(1, forbidden.requestCount());
    }

    @Test
    void aSecretEchoedByTheBuyerIsNeverStoredNorLogged() {
        StubBuyer echoing = stub(Reply.json(400,
                "{\"result\":\"rejected\",\"message\":\"api key Bearer " + SECRET + " is not recognised\"}"));
        String buyerId = onlyBuyer(buyer("rcp_Secret01").url(echoing.url("/leads"))
                .extra("credentials:\n  - header: Authorization\n    prefix: \"Bearer \"\n    env: ACME_KEY\n"));

        Failures failures;
        try (LogCapture logs = new LogCapture("io.leadrouter", "org.apache.camel")) {
            failures = deliverAndCollect(buyerId);
            assertFalse(logs.lines().isEmpty(), "the capture works");
            assertTrue(logs.lines().stream().noneMatch(line -> line.contains(SECRET)), String.join("\n", logs.lines()));
        }

        assertEquals("Bearer " + SECRET, echoing.requests().get(0).header("Authorization"), "the buyer got the secret");
        failures.assertFinal("authentication", "Invalid Credentials");
        failures.assertDetailsMention("api key", "not recognised");
        assertEquals(1, echoing.requestCount());
        String eventsText = router.get("/leads/" + failures.leadId + "/events").body();
        assertFalse(eventsText.contains(SECRET), eventsText);
        assertEquals(0, router.count("select count(*) from recipient_events where event::text like '%" + SECRET + "%'"),
                "no stored event holds the secret");
    }

    // ---------------------------------------------------------------- business: not retried

    @Test
    void alreadyPurchasedIsDuplicateLead() {
        assertBusinessRejection("rcp_Dup01", "Duplicate lead - already purchased", "Duplicate Lead");
    }

    @Test
    void missingRequiredFieldIsInvalidData() {
        assertBusinessRejection("rcp_Invalid01", "missing required field: zip", "Invalid Data");
    }

    @Test
    void dailyCapReachedIsCapReached() {
        assertBusinessRejection("rcp_Cap01", "daily cap reached", "Cap Reached");
    }

    @Test
    void anyOtherRefusalIsRejected() {
        assertBusinessRejection("rcp_NotInt01", "not interested", "Rejected");
    }

    @Test
    void aBuyerSpecificReasonRuleComesFirst() {
        String message = "lead seen before";
        StubBuyer refusing = stub(rejectedWith(message));
        String buyerId = onlyBuyer(buyer("rcp_Rule01").url(refusing.url("/leads"))
                .responseExtra("  reasons:\n    - contains: seen before\n      reason: Duplicate Lead\n"));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertFinal("business", "Duplicate Lead");
        failures.assertDetailsMention(message);
        assertEquals(1, refusing.requestCount());
    }

    @Test
    void aLeadThatCannotBeMappedFailsAsInvalidDataWithoutCallingTheBuyer() {
        StubBuyer buyer = stub(Reply.json(200, "{\"result\":\"accepted\"}"));
        // "contact" is written as a value, then needed as an object for "contact.phone"
        String buyerId = onlyBuyer(buyer("rcp_Unmappable01").url(buyer.url("/leads"))
                .mappingExtra("  - from: last_name\n    to: contact\n  - from: phone\n    to: contact.phone\n"));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertFinal("business", "Invalid Data");
        failures.assertDetailsMention("could not be built", "contact");
        assertEquals(0, buyer.requestCount());
    }

    private void assertBusinessRejection(String buyerId, String message, String expectedReason) {
        StubBuyer refusing = stub(rejectedWith(message));
        onlyBuyer(buyer(buyerId).url(refusing.url("/leads")));

        Failures failures = deliverAndCollect(buyerId);

        failures.assertFinal("business", expectedReason);
        failures.assertDetailsMention(message);
        assertEquals(1, refusing.requestCount(), "a business refusal is not retried");
    }

    // ---------------------------------------------------------------- stub behaviours

    private static Reply rejectedWith(String message) {
        return Reply.json(200, "{\"result\":\"rejected\",\"message\":\"" + message + "\"}");
    }

    private StubBuyer stub(Reply reply) {
        return track(StubBuyer.answering(reply));
    }

    private StubBuyer track(StubBuyer stub) {
        stubs.add(stub);
        return stub;
    }

    /** A TLS server context with a freshly made self-signed certificate, which no default trust store knows. */
    private static SSLContext selfSignedTls() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=127.0.0.1");
            Instant now = Instant.now();
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                            Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                            subject, keys.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = "changeit".toCharArray();
            store.setKeyEntry("buyer", keys.getPrivate(), password, new X509Certificate[] {certificate});
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("could not make a self-signed certificate", e);
        }
    }

    // ---------------------------------------------------------------- buyer files

    private static BuyerYaml buyer(String id) {
        return new BuyerYaml(id);
    }

    /**
     * A JSON buyer with a small answer timeout and quick retries; accepts on {"result":"accepted"}. The
     * connect timeout is generous: no test here waits it out, and a TLS handshake counts against it
     * (under a heavy load, 500 ms turned an untrusted certificate into a Timeout).
     */
    private static final class BuyerYaml {
        private final String id;
        private String url;
        private int timeoutMs = 1500;
        private int maxAttempts = MAX_ATTEMPTS;
        private String extra = "";
        private String responseExtra = "";
        private String mappingExtra = "";

        BuyerYaml(String id) {
            this.id = id;
        }

        BuyerYaml url(String value) {
            url = value;
            return this;
        }

        BuyerYaml timeoutMs(int value) {
            timeoutMs = value;
            return this;
        }

        BuyerYaml maxAttempts(int value) {
            maxAttempts = value;
            return this;
        }

        /** Top-level YAML appended to the file. */
        BuyerYaml extra(String yaml) {
            extra = yaml;
            return this;
        }

        /** More entries of {@code mapping:} (each starting with two spaces and a dash). */
        BuyerYaml mappingExtra(String yaml) {
            mappingExtra = yaml;
            return this;
        }

        /** YAML appended inside {@code response:} (indented by two spaces). */
        BuyerYaml responseExtra(String yaml) {
            responseExtra = yaml;
            return this;
        }

        String id() {
            return id;
        }

        String text() {
            return """
                    id: %s
                    name: Buyer %s
                    endpoint:
                      url: %s
                      connect_timeout_ms: 5000
                      timeout_ms: %d
                    format: json
                    mapping:
                      - from: first_name
                        to: firstName
                    %s\
                    price: 10.00
                    retry:
                      max_attempts: %d
                      initial_delay_ms: 20
                      backoff_multiplier: 1.5
                      max_delay_ms: 50
                    response:
                      type: json
                      accept_when:
                        path: "$.result"
                        equals: accepted
                      rejection_reason: "$.message"
                    """.formatted(id, id, url, timeoutMs, mappingExtra, maxAttempts) + responseExtra + extra;
        }
    }

    /**
     * Makes this buyer the only one in the router's buyers folder, and waits until GET /buyers lists
     * exactly it.
     */
    private static String onlyBuyer(BuyerYaml buyer) {
        String fileName = buyer.id() + ".yaml";
        try (Stream<Path> files = Files.list(router.buyersDir())) {
            for (Path file : files.filter(f -> !f.getFileName().toString().equals(fileName)).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        router.writeBuyer(fileName, buyer.text());
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            JsonNode listing = RouterUnderTest.read(router.get("/buyers").body());
            assertEquals(1, listing.path("buyers").size(), listing.toPrettyString());
            assertEquals(buyer.id(), listing.path("buyers").get(0).path("id").asText(), listing.toPrettyString());
        });
        return buyer.id();
    }

    // ---------------------------------------------------------------- delivering and reading back

    /**
     * Posts a lead and waits until the buyer is done with it: a failure that is not retried ends the
     * lead's routing; a retried one ends when its last attempt is dead-lettered. Answers the events.
     */
    private static Failures deliverAndCollect(String buyerId) {
        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode outcome = router.awaitOutcomes(leadId, 1);
        boolean retried = ofType(outcome, "recipient.failed").stream()
                .anyMatch(e -> e.path("failure").path("retry_eligible").asBoolean());
        String finished = retried
                ? "select count(*) from dead_letters where lead_id = '" + leadId + "'"
                : "select count(*) from leads where lead_id = '" + leadId + "' and completed_at is not null";
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> router.count(finished) == 1);
        JsonNode events = router.events(leadId);
        events.forEach(e -> assertEquals(buyerId, e.path("recipient").path("id").asText(), events.toPrettyString()));
        assertEquals(0, RouterUnderTest.count(events, "recipient.delivered"), events.toPrettyString());
        return new Failures(leadId, events);
    }

    /** The events of one lead delivered to one failing buyer. */
    private static final class Failures {
        final String leadId;
        final JsonNode events;
        final List<JsonNode> failed;

        Failures(String leadId, JsonNode events) {
            this.leadId = leadId;
            this.events = events;
            this.failed = ofType(events, "recipient.failed");
        }

        /** Retry-eligible technical failure, once per attempt, attempted exactly {@code attempts} times. */
        void assertTechnical(String reason, int attempts) {
            assertAttempts(attempts);
            for (int i = 0; i < attempts; i++) {
                assertFailure(failed.get(i), "technical", reason, true);
                assertEquals(i + 1, failed.get(i).path("metadata").path("attempt_number").asInt(), pretty());
                assertEquals(attempts, failed.get(i).path("metadata").path("total_attempts").asInt(), pretty());
            }
        }

        /** A failure that is not retried: attempted exactly once. */
        void assertFinal(String category, String reason) {
            assertAttempts(1);
            assertFailure(failed.get(0), category, reason, false);
        }

        /** Every failure's details is a sentence that names each fragment (ignoring case). */
        void assertDetailsMention(String... fragments) {
            for (JsonNode failure : failed) {
                String details = failure.path("failure").path("details").asText();
                assertTrue(details.length() >= 10 && details.contains(" "), "details is not a sentence: '" + details + "'");
                for (String fragment : fragments) {
                    assertTrue(details.toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT)),
                            "details '" + details + "' should mention '" + fragment + "'");
                }
            }
        }

        private void assertAttempts(int attempts) {
            assertEquals(attempts, RouterUnderTest.count(events, "recipient.delivery_attempt"), pretty());
            assertEquals(attempts, failed.size(), pretty());
        }

        private void assertFailure(JsonNode event, String category, String reason, boolean retryEligible) {
            JsonNode failure = event.path("failure");
            assertEquals("failed", event.path("outcome").asText(), pretty());
            assertEquals(category, failure.path("category").asText(), pretty());
            assertEquals(reason, failure.path("reason").asText(), pretty());
            assertTrue(failure.path("retry_eligible").isBoolean(), "retry_eligible must be a JSON boolean: " + pretty());
            assertEquals(retryEligible, failure.path("retry_eligible").booleanValue(), pretty());
        }

        private String pretty() {
            return events.toPrettyString();
        }
    }
}
