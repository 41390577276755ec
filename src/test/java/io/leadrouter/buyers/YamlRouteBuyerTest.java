package io.leadrouter.buyers;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.RouterUnderTest.ofType;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped ping/post example (examples/buyers), a buyer delivered by its own YAML route: it delivers, is
 * classified, retried and dead-lettered like any buyer, and its route file is replaced, refused and removed
 * while the router runs. One router and one buyer system for the class; each test starts from the example
 * files and leaves the buyers folder empty and every lead finished.
 */
class YamlRouteBuyerTest {

    private static final String BUYER = "rcp_PingPostExample";
    private static final String LEAD = """
            {"first_name":"Ann","last_name":"Lee","email":"ann@example.com","phone":"(555) 123-4567",
             "state":"tx","zip":"73301","age":42}""";
    private static final Path EXAMPLES = Path.of("examples", "buyers");
    private static final String API_KEY_ENV = "LEADROUTER_TEST_PINGPOST_KEY";
    private static final String API_KEY = "pp-k3y-s3cr3t";

    private static final PingPostBuyer SYSTEM = new PingPostBuyer(PingPostBuyer.bid("15.00"), Reply.json(200, ACCEPTED));
    private static StubBuyer stub;
    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        stub = StubBuyer.answering(SYSTEM);
        router = RouterUnderTest.builder().property("buyer.pingpost.url", stub.url("")).secret(API_KEY_ENV, API_KEY).start();
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        stub.close();
    }

    @BeforeEach
    void exampleBuyer() throws IOException {
        SYSTEM.answer(PingPostBuyer.bid("15.00"), Reply.json(200, ACCEPTED));
        writeRouteFile(example("ping-post.camel.yaml"));
        router.installBuyer("ping-post.yaml", BUYER, quickRetries(example("ping-post.yaml")));
    }

    @AfterEach
    void cleanUp() throws IOException {
        try {
            router.finishLeadsAndDeleteBuyerFiles();
        } finally {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> buyers().path("buyers").isEmpty() && buyerRoutes().isEmpty()
                            && router.context().getRoutes().stream().noneMatch(r -> r.getRouteId().startsWith("rcp_PingPostCapped-")));
        }
    }

    @Test
    void pingsWithThePartialLeadThenPostsTheFullLeadWhenTheBidReachesTheFloor() {
        int before = stub.requestCount();
        String leadId = router.postLead(LEAD);
        JsonNode events = router.awaitOutcomes(leadId, 1);

        JsonNode delivered = ofType(events, "recipient.delivered").get(0);
        assertEquals(BUYER, delivered.path("recipient").path("id").asText(), events.toPrettyString());
        assertEquals("route", delivered.path("metadata").path("integration").asText());
        List<StubBuyer.ReceivedRequest> calls = stub.requests().subList(before, stub.requestCount());
        assertEquals(List.of("/ping", "/post"), calls.stream().map(StubBuyer.ReceivedRequest::path).toList());
        assertEquals("{\"state\":\"TX\",\"zip\":\"73301\",\"age\":42}", calls.get(0).body());
        JsonNode posted = RouterUnderTest.read(calls.get(1).body());
        assertEquals("Ann", posted.path("first_name").asText());
        assertEquals("5551234567", posted.path("phone").asText());
        assertEquals(calls.get(0).header("Idempotency-Key"), calls.get(1).header("Idempotency-Key"));
        assertNotNull(calls.get(1).header("Idempotency-Key"));
        assertEquals("POST", calls.get(0).method());
        assertEquals(API_KEY, calls.get(0).header("X-Api-Key"), "credentials reach the route as for any buyer");
        assertEquals(API_KEY, calls.get(1).header("X-Api-Key"));
        assertFalse(events.toString().contains(API_KEY));
    }

    @Test
    void aBidBelowTheFloorEndsAsRejectedWithoutAPost() {
        SYSTEM.answer(PingPostBuyer.bid("9.99"), Reply.json(200, ACCEPTED));
        int posts = PingPostBuyer.to(stub, "/post").size();
        String leadId = router.postLead(LEAD);
        JsonNode events = router.awaitOutcomes(leadId, 1);

        List<JsonNode> failed = ofType(events, "recipient.failed");
        assertEquals(1, failed.size(), events.toPrettyString());
        JsonNode failure = failed.get(0).path("failure");
        assertEquals("business", failure.path("category").asText());
        assertEquals("Rejected", failure.path("reason").asText());
        assertEquals("buyer declined the lead: bid 9.99 is below the floor 12.50", failure.path("details").asText());
        assertFalse(failure.path("retry_eligible").asBoolean());
        assertEquals(posts, PingPostBuyer.to(stub, "/post").size(), "no post after a low bid");
        assertEquals(0, router.count("select count(*) from dead_letters where lead_id = '" + leadId + "'"));
    }

    @Test
    void aServerErrorIsRetriedLikeAnyBuyerAndDeadLetteredWhenAttemptsRunOut() {
        SYSTEM.answer(PingPostBuyer.bid("15.00"), Reply.json(503, "{\"error\":\"down\"}"));
        int posts = PingPostBuyer.to(stub, "/post").size();
        String leadId = router.postLead(LEAD);
        JsonNode events = router.awaitOutcomes(leadId, 1);

        List<JsonNode> failed = ofType(events, "recipient.failed");
        assertEquals(3, failed.size(), events.toPrettyString());
        for (JsonNode each : failed) {
            assertEquals("Server Error", each.path("failure").path("reason").asText());
            assertTrue(each.path("failure").path("retry_eligible").asBoolean());
        }
        assertEquals(3, ofType(events, "recipient.delivery_attempt").size());
        assertEquals(posts + 3, PingPostBuyer.to(stub, "/post").size());
        JsonNode deadLetter = await().atMost(10, SECONDS).until(() -> RouterUnderTest.read(router.get("/dead-letters").body()),
                list -> list.size() == 1).get(0);
        assertEquals(leadId, deadLetter.path("lead_id").asText());
        assertEquals("HTTP 503 from buyer", deadLetter.path("failure").path("details").asText());
        long id = deadLetter.path("id").asLong();
        SYSTEM.answer(PingPostBuyer.bid("15.00"), Reply.json(200, ACCEPTED));
        assertEquals(202, router.post("/dead-letters/" + id + "/replay", null, null).statusCode());
        router.awaitEvents(leadId, e -> !ofType(e, "recipient.delivered").isEmpty());
    }

    @Test
    void theRouteFileReplacedWhileLeadsFlowChangesTheNextLeadsAndLosesNone() throws IOException {
        writeRouteFile(withVersionHeader("1"));
        await().atMost(5, SECONDS).until(() -> routeVersionSeen("1"));
        List<String> leads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            leads.add(router.postLead(LEAD));
        }
        writeRouteFile(withVersionHeader("2")); // while the leads above are being delivered
        for (int i = 0; i < 10; i++) {
            leads.add(router.postLead(LEAD));
        }
        await().atMost(10, SECONDS).until(() -> routeVersionSeen("2"));
        String after = router.postLead(LEAD);
        router.awaitOutcomes(after, 1);
        List<StubBuyer.ReceivedRequest> posts = PingPostBuyer.to(stub, "/post");
        assertEquals("2", posts.get(posts.size() - 1).header("X-Route-Version"));
        for (String leadId : leads) {
            JsonNode events = router.awaitOutcomes(leadId, 1);
            assertEquals(1, ofType(events, "recipient.delivered").size(), events.toPrettyString());
        }
        assertEquals(1, buyerRoutes().size(), "the old version is gone: " + buyerRoutes());
    }

    @Test
    void aBrokenRouteFileIsRefusedNamingItAndThePreviousVersionKeepsDelivering() throws IOException {
        String dir = router.buyersDir().getFileName().toString();
        writeRouteFile(example("ping-post.camel.yaml").replace("    id: ping-post\n", "    id: [ping-post\n"));
        await().atMost(5, SECONDS).until(() -> problem() != null);
        assertTrue(problem().startsWith(dir + "/ping-post.camel.yaml: not valid YAML: "), problem());
        assertEquals(problem(), HealthCheckHelper.invoke(router.context()).stream()
                .filter(result -> result.getCheck().getId().equals("buyer-files")).findFirst().orElseThrow()
                .getDetails().get("refused.ping-post.yaml"), "the buyer-files health check names the refused route file");
        assertDelivers();

        writeRouteFile(example("ping-post.camel.yaml").replace("direct:buyer-rcp_PingPostExample", "direct:elsewhere"));
        await().atMost(5, SECONDS).until(() -> problem() != null && problem().contains("no route consumes"));
        assertTrue(problem().contains("no route consumes direct:buyer-rcp_PingPostExample"), problem());
        assertDelivers();

        // loads, but cannot start: the previous version is put back
        String post = "- toD:\n" + " ".repeat(22) + "id: post\n" + " ".repeat(22)
                + "uri: \"${exchangeProperty.buyerUrl}/post?${exchangeProperty.buyerHttpOptions}\"";
        writeRouteFile(changed(example("ping-post.camel.yaml"), post, "- to:\n" + " ".repeat(22) + "id: post\n" + " ".repeat(22)
                + "uri: nosuchscheme:post"));
        await().atMost(5, SECONDS).until(() -> problem() != null && problem().contains("does not start"));
        assertDelivers();

        Files.delete(router.buyersDir().resolve("ping-post.camel.yaml"));
        await().atMost(5, SECONDS).until(() -> problem() != null && problem().contains("no such file"));
        assertEquals(dir + "/ping-post.camel.yaml: cannot be read: no such file (named by the buyer file's route.file)", problem());
        assertDelivers();

        writeRouteFile(example("ping-post.camel.yaml"));
        await().atMost(5, SECONDS).until(() -> problem() == null);
        assertDelivers();
    }

    @Test
    void capsApplyBeforeTheRouteIsCalled() throws IOException {
        String capped = "rcp_PingPostCapped";
        router.writeBuyer("capped.camel.yaml", example("ping-post.camel.yaml").replace(BUYER, capped));
        router.installBuyer("capped.yaml", capped, changed(changed(quickRetries(example("ping-post.yaml")), "id: " + BUYER, "id: " + capped),
                "file: ping-post.camel.yaml", "file: capped.camel.yaml") + "caps:\n  leads: {day: 1}\n");

        String first = router.postLead(LEAD);
        router.awaitCompleted(first);
        String second = router.postLead(LEAD);
        router.awaitCompleted(second);

        assertTrue(ofType(router.events(first), "recipient.delivered").stream()
                .anyMatch(e -> e.path("recipient").path("id").asText().equals(capped)), "the first lead is within the cap");
        for (JsonNode event : router.events(second)) {
            assertFalse(event.path("recipient").path("id").asText().equals(capped), "over the cap, the route is not called: " + event);
        }
        assertTrue(router.get("/leads/" + second).body().contains("cap_reached"), router.get("/leads/" + second).body());
    }

    @Test
    void removingTheBuyerFileRemovesTheBuyerAndItsRoutes() throws IOException {
        assertEquals(List.of(BUYER + "-ping-post"), buyerRoutes());
        Files.delete(router.buyersDir().resolve("ping-post.yaml"));
        await().atMost(10, SECONDS).until(() -> buyerRoutes().isEmpty() && buyers().path("buyers").isEmpty());
        assertTrue(buyers().path("files").toString().contains("ping-post") == false, "a route file is not listed as a buyer file");
    }

    // ---- helpers ----

    private static void assertDelivers() {
        String leadId = router.postLead(LEAD);
        JsonNode events = router.awaitOutcomes(leadId, 1);
        assertEquals(1, ofType(events, "recipient.delivered").size(), events.toPrettyString());
    }

    private static boolean routeVersionSeen(String version) {
        router.postLead(LEAD);
        List<StubBuyer.ReceivedRequest> posts = PingPostBuyer.to(stub, "/post");
        return !posts.isEmpty() && version.equals(posts.get(posts.size() - 1).header("X-Route-Version"));
    }

    /** The example route with a header of its own on the post: what a changed route file sends shows. */
    private static String withVersionHeader(String version) throws IOException {
        String post = " ".repeat(18) + "- toD:\n" + " ".repeat(22) + "id: post\n";
        String header = " ".repeat(18) + "- setHeader:\n" + " ".repeat(22) + "id: route-version\n" + " ".repeat(22)
                + "name: X-Route-Version\n" + " ".repeat(22) + "constant: \"" + version + "\"\n";
        return changed(example("ping-post.camel.yaml"), post, header + post);
    }

    private static String changed(String text, String target, String replacement) {
        if (!text.contains(target)) {
            throw new AssertionError("not in the example: " + target);
        }
        return text.replace(target, replacement);
    }

    private static String example(String file) throws IOException {
        return Files.readString(EXAMPLES.resolve(file));
    }

    /** The example with quick retries, a circuit that never opens, and an API key from the environment. */
    private static String quickRetries(String buyerFile) {
        return BuyerFiles.neverOpening(changed(buyerFile, "format: json\n", "credentials:\n  - header: X-Api-Key\n    env: "
                + API_KEY_ENV + "\nformat: json\n").replace("initial_delay_ms: 1000", "initial_delay_ms: 50")
                .replace("max_delay_ms: 10000", "max_delay_ms: 200"));
    }

    private static void writeRouteFile(String yaml) {
        router.writeBuyer("ping-post.camel.yaml", yaml);
    }

    private static JsonNode buyers() {
        return RouterUnderTest.read(router.get("/buyers").body());
    }

    private static String problem() {
        for (JsonNode file : buyers().path("files")) {
            if (file.path("file").asText().equals("ping-post.yaml")) {
                return file.path("problem").isNull() ? null : file.path("problem").asText();
            }
        }
        return null;
    }

    private static List<String> buyerRoutes() {
        return router.context().getRoutes().stream().map(r -> r.getRouteId()).filter(id -> id.startsWith(BUYER + "-")).toList();
    }
}
