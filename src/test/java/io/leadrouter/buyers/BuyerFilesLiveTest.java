package io.leadrouter.buyers;

import io.leadrouter.model.Buyer;
import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static io.leadrouter.testing.RouterUnderTest.ofType;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Buyer files changed while the router runs: added, changed, removed, broken, duplicated, or
 * missing a secret. Every change takes effect within 5 seconds (the router scans every 200 ms),
 * a bad file is reported by GET /buyers and never disturbs the buyers that work.
 *
 * <p>One router for the class; each test brings its own buyers and stubs, and leaves the buyers
 * folder empty and every lead finished (see {@link #cleanUp()}), so the tests do not depend on
 * their order.
 */
class BuyerFilesLiveTest {

    private static final String SECRET_NAME = "LEADROUTER_TEST_API_KEY";
    private static final String SECRET_VALUE = "s3cr3t-v4lue";
    private static final String UNSET_SECRET = "LEADROUTER_TEST_NOT_SET_KEY";

    private static RouterUnderTest router;
    /** The buyers folder as messages name it: its own name, then the file. */
    private static String dir;

    private final List<StubBuyer> stubs = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        router = RouterUnderTest.builder().secret(SECRET_NAME, SECRET_VALUE).start();
        dir = router.buyersDir().getFileName().toString();
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    @AfterEach
    void cleanUp() throws IOException {
        try {
            router.finishLeadsAndDeleteBuyerFiles();
        } finally {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                JsonNode buyers = buyers();
                return buyers.path("buyers").isEmpty() && buyers.path("files").isEmpty();
            });
            stubs.forEach(StubBuyer::close);
        }
    }

    // ---- a broken file ----

    @Test
    void aBrokenFileIsReportedWithItsProblemsAndAnotherBuyerStillDelivers() {
        StubBuyer good = stub(Reply.json(200, ACCEPTED));
        router.writeBuyer("good.yaml", BuyerFiles.jsonBuyer("rcp_G00dBuyer01", good.url("/leads")));
        router.writeBuyer("broken.yaml", BuyerFiles.jsonBuyer("rcp_Br0kenBuyer01", "example.com/leads").replace("price: 45.00\n", ""));

        await().atMost(5, SECONDS).until(() -> problemOf("broken.yaml") != null && isActive("rcp_G00dBuyer01"));
        assertEquals(dir + "/broken.yaml: endpoint.url: must match ^(http|https)://.*; price: is required", problemOf("broken.yaml"));
        JsonNode brokenFile = fileEntry("broken.yaml");
        assertTrue(brokenFile.path("buyer_id").isNull(), brokenFile.toString());
        assertFalse(isActive("rcp_Br0kenBuyer01"));
        assertTrue(fileEntry("good.yaml").path("problem").isNull());
        assertEquals("rcp_G00dBuyer01", fileEntry("good.yaml").path("buyer_id").asText());

        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode events = awaitCompleted(leadId);
        assertEquals(Set.of("rcp_G00dBuyer01"), deliveredTo(events));
        assertEquals(Set.of("rcp_G00dBuyer01"), recipientsOf(events));
        assertEquals(1, good.requestCount());
    }

    // ---- adding, changing, removing ----

    @Test
    void aBuyerFileAddedWhileRunningReceivesLeadsWithinFiveSeconds() {
        StubBuyer first = stub(Reply.json(200, ACCEPTED));
        router.writeBuyer("first.yaml", BuyerFiles.jsonBuyer("rcp_F1rstBuyer", "First", first.url("/leads"), 1, false, 3));
        router.awaitBuyer("rcp_F1rstBuyer");

        StubBuyer added = stub(Reply.json(200, ACCEPTED));
        router.writeBuyer("added.yaml", BuyerFiles.jsonBuyer("rcp_Add3dBuyer", "Added", added.url("/added"), 2, false, 3));
        List<String> leads = new ArrayList<>();
        await().atMost(5, SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (added.requestCount() > 0) {
                return true;
            }
            leads.add(router.postLead(SAMPLE_LEAD));
            return false;
        });

        // and from now on every lead goes to it, with the mapping of its file
        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode events = awaitCompleted(leadId);
        assertEquals(Set.of("rcp_F1rstBuyer", "rcp_Add3dBuyer"), deliveredTo(events));
        StubBuyer.ReceivedRequest last = added.requests().get(added.requestCount() - 1);
        assertEquals("/added", last.path());
        assertEquals("{\"firstName\":\"Ann\",\"phone\":\"5551234567\",\"state\":\"TX\"}", last.body());
    }

    @Test
    void aBuyerFileChangedWhileRunningSendsTheNextLeadTheNewWayWithinFiveSeconds() {
        StubBuyer before = stub(Reply.json(200, ACCEPTED));
        StubBuyer after = stub(Reply.json(200, ACCEPTED));
        String id = "rcp_Chang1ngBuyer";
        router.writeBuyer("changing.yaml", BuyerFiles.jsonBuyer(id, before.url("/v1/leads")));
        router.awaitBuyer(id);
        String firstLead = router.postLead(SAMPLE_LEAD);
        assertEquals(Set.of(id), deliveredTo(awaitCompleted(firstLead)));
        assertEquals("{\"firstName\":\"Ann\",\"phone\":\"5551234567\",\"state\":\"TX\"}", before.requests().get(0).body());

        // a new URL (another buyer system) and a new mapping
        router.writeBuyer("changing.yaml", BuyerFiles.jsonBuyer(id, after.url("/v2/leads"))
                .replace("to: firstName", "to: given_name").replace("transform: upper", "transform: lower"));
        await().atMost(5, SECONDS).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (after.requestCount() > 0) {
                return true;
            }
            router.postLead(SAMPLE_LEAD);
            return false;
        });

        // from now on: only the new way
        int oldCount = before.requestCount();
        int newCount = after.requestCount();
        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode events = awaitCompleted(leadId);
        JsonNode delivered = ofType(events, "recipient.delivered").get(0);
        assertEquals(after.url("/v2/leads"), delivered.path("delivery").path("url").asText());
        assertEquals(oldCount, before.requestCount());
        assertEquals(newCount + 1, after.requestCount());
        StubBuyer.ReceivedRequest last = after.requests().get(newCount);
        assertEquals("/v2/leads", last.path());
        assertEquals("{\"given_name\":\"Ann\",\"phone\":\"5551234567\",\"state\":\"tx\"}", last.body());
        assertEquals(after.url("/v2/leads"), activeBuyer(id).path("url").asText());
    }

    @Test
    void aBuyerFileRemovedWhileRunningGetsNoMoreLeadsWithinFiveSecondsAndTheOtherIsUnaffected() throws IOException {
        StubBuyer staying = stub(Reply.json(200, ACCEPTED));
        StubBuyer leaving = stub(Reply.json(200, ACCEPTED));
        Path leavingFile = router.writeBuyer("leaving.yaml",
                BuyerFiles.jsonBuyer("rcp_Leav1ngBuyer", "Leaving", leaving.url("/leads"), 1, false, 3));
        router.writeBuyer("staying.yaml", BuyerFiles.jsonBuyer("rcp_Stay1ngBuyer", "Staying", staying.url("/leads"), 2, false, 3));
        router.awaitBuyer("rcp_Leav1ngBuyer");
        router.awaitBuyer("rcp_Stay1ngBuyer");
        String bothLead = router.postLead(SAMPLE_LEAD);
        assertEquals(Set.of("rcp_Leav1ngBuyer", "rcp_Stay1ngBuyer"), deliveredTo(awaitCompleted(bothLead)));

        Files.delete(leavingFile);
        await().atMost(5, SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> {
            int leavingBefore = leaving.requestCount();
            String leadId = router.postLead(SAMPLE_LEAD);
            awaitCompleted(leadId);
            return leaving.requestCount() == leavingBefore;
        });

        assertFalse(isActive("rcp_Leav1ngBuyer"));
        assertTrue(fileEntry("leaving.yaml") == null, "a removed file is no longer listed");
        int leavingCount = leaving.requestCount();
        int stayingCount = staying.requestCount();
        for (int i = 0; i < 3; i++) {
            String leadId = router.postLead(SAMPLE_LEAD);
            JsonNode events = awaitCompleted(leadId);
            assertEquals(Set.of("rcp_Stay1ngBuyer"), deliveredTo(events), events.toPrettyString());
            assertEquals(Set.of("rcp_Stay1ngBuyer"), recipientsOf(events));
        }
        assertEquals(leavingCount, leaving.requestCount());
        assertEquals(stayingCount + 3, staying.requestCount());
    }

    // ---- a file that becomes broken ----

    @Test
    void aFileThatBecomesBrokenIsReportedAndTheBuyerKeepsItsPreviousSettings() {
        StubBuyer current = stub(Reply.json(200, ACCEPTED));
        StubBuyer next = stub(Reply.json(200, ACCEPTED));
        String id = "rcp_W4sValidBuyer";
        String valid = BuyerFiles.jsonBuyer(id, current.url("/leads"));
        router.writeBuyer("was-valid.yaml", valid);
        router.awaitBuyer(id);

        router.writeBuyer("was-valid.yaml", BuyerFiles.jsonBuyer(id, "ftp://elsewhere.example/leads")
                .replace("price: 45.00", "price: cheap"));
        await().atMost(5, SECONDS).until(() -> problemOf("was-valid.yaml") != null);
        assertEquals(dir + "/was-valid.yaml: endpoint.url: must match ^(http|https)://.*; price: must be a number",
                problemOf("was-valid.yaml"));
        assertEquals(id, fileEntry("was-valid.yaml").path("buyer_id").asText(), "the file still owns its buyer");
        JsonNode buyer = activeBuyer(id);
        assertEquals(current.url("/leads"), buyer.path("url").asText());
        assertEquals(new BigDecimal("45.00"), buyer.path("price").decimalValue());

        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode events = awaitCompleted(leadId);
        JsonNode delivered = ofType(events, "recipient.delivered").get(0);
        assertEquals(id, delivered.path("recipient").path("id").asText());
        assertEquals(current.url("/leads"), delivered.path("delivery").path("url").asText());
        assertEquals(1, current.requestCount());

        // repaired (with a new URL): the problem goes and the new settings apply
        router.writeBuyer("was-valid.yaml", BuyerFiles.jsonBuyer(id, next.url("/leads")));
        await().atMost(5, SECONDS).until(() -> fileEntry("was-valid.yaml").path("problem").isNull()
                && next.url("/leads").equals(activeBuyer(id).path("url").asText()));
        String repairedLead = router.postLead(SAMPLE_LEAD);
        awaitCompleted(repairedLead);
        assertEquals(1, next.requestCount());
        assertEquals(1, current.requestCount());
    }

    @Test
    void aBrokenFileThatOwnedABuyerRemovesItWhenDeleted() throws IOException {
        StubBuyer stub = stub(Reply.json(200, ACCEPTED));
        String id = "rcp_D3letedBroken";
        Path file = router.writeBuyer("deleted-broken.yaml", BuyerFiles.jsonBuyer(id, stub.url("/leads")));
        router.awaitBuyer(id);
        router.writeBuyer("deleted-broken.yaml", "id: " + id + "\nname: [unclosed\n");
        await().atMost(5, SECONDS).until(() -> problemOf("deleted-broken.yaml") != null);
        assertTrue(isActive(id));

        Files.delete(file);
        await().atMost(5, SECONDS).until(() -> !isActive(id));
        String leadId = router.postLead(SAMPLE_LEAD);
        assertTrue(recipientsOf(awaitCompleted(leadId)).isEmpty());
        assertEquals(0, stub.requestCount());
    }

    // ---- conflicts and secrets ----

    @Test
    void aSecondFileDeclaringTheSameIdIsRefusedNamingBothFiles() {
        StubBuyer first = stub(Reply.json(200, ACCEPTED));
        StubBuyer second = stub(Reply.json(200, ACCEPTED));
        String id = "rcp_Dupl1catedId";
        router.writeBuyer("first-declared.yaml", BuyerFiles.jsonBuyer(id, first.url("/leads")));
        router.awaitBuyer(id);
        router.writeBuyer("second-declared.yaml", BuyerFiles.jsonBuyer(id, second.url("/leads")));

        await().atMost(5, SECONDS).until(() -> problemOf("second-declared.yaml") != null);
        assertEquals(dir + "/second-declared.yaml: id: " + id + " is already declared by " + dir + "/first-declared.yaml",
                problemOf("second-declared.yaml"));
        assertTrue(fileEntry("second-declared.yaml").path("buyer_id").isNull());
        assertEquals(first.url("/leads"), activeBuyer(id).path("url").asText());
        assertEquals("first-declared.yaml", activeBuyer(id).path("file").asText());

        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode events = awaitCompleted(leadId);
        assertEquals(1, ofType(events, "recipient.delivered").size(), events.toPrettyString());
        assertEquals(1, first.requestCount());
        assertEquals(0, second.requestCount());
    }

    @Test
    void aRefusedDuplicateTakesOverWhenTheFileThatDeclaredTheIdIsRemoved() throws IOException {
        // how an operator renames a buyer file: write the new one, then delete the old one
        StubBuyer stub = stub(Reply.json(200, ACCEPTED));
        String id = "rcp_Ren4medBuyer";
        Path old = router.writeBuyer("old-name.yaml", BuyerFiles.jsonBuyer(id, stub.url("/leads")));
        router.awaitBuyer(id);
        router.writeBuyer("new-name.yaml", BuyerFiles.jsonBuyer(id, stub.url("/leads")));
        await().atMost(5, SECONDS).until(() -> problemOf("new-name.yaml") != null);

        Files.delete(old);
        // one snapshot of GET /buyers per look: between two of them the buyer may be mid-swap
        await().atMost(5, SECONDS).until(() -> {
            JsonNode snapshot = buyers();
            boolean servedByNewFile = false;
            for (JsonNode buyer : snapshot.path("buyers")) {
                servedByNewFile |= buyer.path("id").asText().equals(id) && buyer.path("file").asText().equals("new-name.yaml");
            }
            boolean newFileFine = false;
            for (JsonNode file : snapshot.path("files")) {
                newFileFine |= file.path("file").asText().equals("new-name.yaml") && file.path("problem").isNull();
            }
            return servedByNewFile && newFileFine;
        });
        String leadId = router.postLead(SAMPLE_LEAD);
        assertEquals(Set.of(id), deliveredTo(awaitCompleted(leadId)));
    }

    @Test
    void aCredentialWhoseEnvironmentVariableIsNotSetIsRefused() {
        StubBuyer stub = stub(Reply.json(200, ACCEPTED));
        String id = "rcp_N0SecretBuyer";
        router.writeBuyer("no-secret.yaml", withCredential(BuyerFiles.jsonBuyer(id, stub.url("/leads")), UNSET_SECRET));

        await().atMost(5, SECONDS).until(() -> problemOf("no-secret.yaml") != null);
        assertEquals(dir + "/no-secret.yaml: credentials[0].env: environment variable " + UNSET_SECRET + " is not set",
                problemOf("no-secret.yaml"));
        assertFalse(isActive(id));
        String leadId = router.postLead(SAMPLE_LEAD);
        assertTrue(recipientsOf(awaitCompleted(leadId)).isEmpty());
        assertEquals(0, stub.requestCount());
    }

    @Test
    void aCredentialWhoseEnvironmentVariableIsSetIsSentAndNeverShown() {
        StubBuyer stub = stub(Reply.json(200, ACCEPTED));
        String id = "rcp_W1thSecretBuyer";
        router.writeBuyer("with-secret.yaml", withCredential(BuyerFiles.jsonBuyer(id, stub.url("/leads")), SECRET_NAME));
        router.awaitBuyer(id);

        String leadId = router.postLead(SAMPLE_LEAD);
        JsonNode events = awaitCompleted(leadId);
        assertEquals(Set.of(id), deliveredTo(events));
        assertEquals("Key " + SECRET_VALUE, stub.requests().get(0).header("X-Api-Key"));
        assertFalse(events.toString().contains(SECRET_VALUE), "the secret is never written in an event");
        assertFalse(router.get("/buyers").body().contains(SECRET_VALUE));
    }

    // ---- removal does not disturb other deliveries ----

    @Test
    void removingBuyersWhileADeliveryToAnotherIsMidRetryDoesNotDisturbIt() throws IOException {
        // Nobody buys the lead, so the exclusive buyer after the first wave would be offered it.
        String notInterested = "{\"result\":\"rejected\",\"message\":\"not interested\"}";
        StubBuyer before = stub(Reply.json(200, notInterested));
        StubBuyer retrying = stub(Reply.json(503, "{\"error\":\"busy\"}"), Reply.json(503, "{\"error\":\"busy\"}"),
                Reply.json(503, "{\"error\":\"busy\"}"), Reply.json(200, notInterested));
        StubBuyer after = stub(Reply.json(200, ACCEPTED));
        String retryingId = "rcp_M1dRetryBuyer";
        Path beforeFile = router.writeBuyer("removed-before.yaml",
                BuyerFiles.jsonBuyer("rcp_R3movedBefore", "Removed before", before.url("/leads"), 1, false, 3));
        router.writeBuyer("mid-retry.yaml", BuyerFiles.jsonBuyer(retryingId, "Mid retry", retrying.url("/leads"), 2, false, 5)
                .replace("initial_delay_ms: 50", "initial_delay_ms: 400")
                .replace("backoff_multiplier: 2.0", "backoff_multiplier: 1.0")
                .replace("max_delay_ms: 200", "max_delay_ms: 400"));
        Path afterFile = router.writeBuyer("removed-after.yaml",
                BuyerFiles.jsonBuyer("rcp_R3movedAfter", "Removed after", after.url("/leads"), 3, true, 3));
        router.awaitBuyer("rcp_R3movedBefore");
        router.awaitBuyer(retryingId);
        router.awaitBuyer("rcp_R3movedAfter");

        String leadId = router.postLead(SAMPLE_LEAD);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> retrying.requestCount() >= 1 && before.requestCount() == 1);
        // the lead is now waiting for its next attempt at the retrying buyer: remove the buyer that
        // answered it beside it, and the exclusive one whose turn comes after them
        Files.delete(beforeFile);
        Files.delete(afterFile);
        await().atMost(5, SECONDS).pollInterval(Duration.ofMillis(20))
                .until(() -> !isActive("rcp_R3movedBefore") && !isActive("rcp_R3movedAfter"));
        assertTrue(retrying.requestCount() < 4, "the removal must happen while the delivery is still mid-retry");

        // the remaining retries take at most 3 x 400 ms; the removed buyer after it is skipped, not waited for
        await().atMost(4, SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> router.count(
                "select count(*) from leads where lead_id = '" + leadId + "' and completed_at is not null") == 1);
        JsonNode events = router.events(leadId);
        List<JsonNode> failed = ofType(events, "recipient.failed");
        JsonNode lastAnswer = failed.stream().filter(e -> e.path("recipient").path("id").asText().equals(retryingId))
                .reduce((first, second) -> second).orElseThrow();
        assertEquals(4, lastAnswer.path("metadata").path("attempt_number").asInt(), events.toPrettyString());
        assertEquals(200, lastAnswer.path("response").path("status_code").asInt(), "its retries ran to the buyer's final answer");
        assertEquals(5, failed.size(), "3 busy answers and 2 refusals: " + events.toPrettyString());
        assertEquals(Set.of(), deliveredTo(events));
        assertEquals(4, retrying.requestCount());
        assertEquals(0, after.requestCount(), "a buyer removed before its turn is not offered the lead");
        assertEquals(0, router.count("select count(*) from dead_letters"));
    }

    // ---- helpers ----

    private StubBuyer stub(Reply... replies) {
        StubBuyer stub = StubBuyer.answering(replies);
        stubs.add(stub);
        return stub;
    }

    private static String withCredential(String buyerFile, String env) {
        return buyerFile.replace("format: json\n", """
                credentials:
                  - header: X-Api-Key
                    prefix: "Key "
                    env: %s
                format: json
                """.formatted(env));
    }

    private static JsonNode buyers() {
        return RouterUnderTest.read(router.get("/buyers").body());
    }

    /** The file's entry in GET /buyers, or null when it is not listed. */
    private static JsonNode fileEntry(String fileName) {
        for (JsonNode file : buyers().path("files")) {
            if (file.path("file").asText().equals(fileName)) {
                return file;
            }
        }
        return null;
    }

    private static String problemOf(String fileName) {
        JsonNode file = fileEntry(fileName);
        return file == null || file.path("problem").isNull() ? null : file.path("problem").asText();
    }

    private static JsonNode activeBuyer(String id) {
        for (JsonNode buyer : buyers().path("buyers")) {
            if (buyer.path("id").asText().equals(id)) {
                return buyer;
            }
        }
        throw new AssertionError("buyer " + id + " is not active: " + buyers());
    }

    private static boolean isActive(String id) {
        for (JsonNode buyer : buyers().path("buyers")) {
            if (buyer.path("id").asText().equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Waits until the lead is finished with every buyer it was offered to, and answers its events. */
    private static JsonNode awaitCompleted(String leadId) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> router.count(
                "select count(*) from leads where lead_id = '" + leadId + "' and completed_at is not null") == 1);
        return router.events(leadId);
    }

    private static Set<String> deliveredTo(JsonNode events) {
        Set<String> ids = new TreeSet<>();
        ofType(events, "recipient.delivered").forEach(e -> ids.add(e.path("recipient").path("id").asText()));
        return ids;
    }

    private static Set<String> recipientsOf(JsonNode events) {
        Set<String> ids = new TreeSet<>();
        events.forEach(e -> ids.add(e.path("recipient").path("id").asText()));
        return ids;
    }
}
