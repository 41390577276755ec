package io.leadrouter.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of buyer files provoked for real against stub buyers: a filter, a suppression list,
 * concurrent duplicates, a cap whose refused offer gives its slot back, a buyer closed (skip) and
 * one closed that holds its lead and takes it once it opens. Each test has buyers of its own; the
 * lead's other buyers are removed before the next test.
 */
class BuyerRulesTest {

    private static RouterUnderTest router;
    private static int files;
    /** Each test's buyers, by file: removed after it, whatever its outcome, so the next test's leads do not meet them. */
    private final java.util.Map<String, String> installed = new java.util.LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        router = RouterUnderTest.start();
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    /** Installs a buyer that accepts (or answers as the stub does), with the file's extra rule sections. */
    private String install(String id, StubBuyer stub, String rules) {
        String file = "rules-" + (++files) + ".yaml";
        installed.put(file, id);
        router.installBuyer(file, id, BuyerFiles.jsonBuyer(id, "Buyer " + id, stub.url("/leads"), 1, false, 1) + rules);
        return file;
    }

    @AfterEach
    void removeBuyers() throws Exception {
        for (java.util.Map.Entry<String, String> buyer : installed.entrySet()) {
            java.nio.file.Files.deleteIfExists(router.buyersDir().resolve(buyer.getKey()));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> router.buyerRemoved(buyer.getValue()));
        }
    }

    private static JsonNode buyerInDetails(String leadId, String buyerId) {
        JsonNode details = RouterUnderTest.read(router.call("GET", "/leads/" + leadId, router.adminKey(), null, null).body());
        for (JsonNode buyer : details.path("buyers")) {
            if (buyer.path("recipient_id").asText().equals(buyerId)) {
                return buyer;
            }
        }
        throw new AssertionError("buyer " + buyerId + " not in " + details.toPrettyString());
    }

    private static String lead(String email, String phone, String state) {
        return """
                {"first_name":"Ann","email":"%s","phone":"%s","state":"%s","score":85}""".formatted(email, phone, state);
    }

    @Test
    void aFilteredLeadNeverReachesTheBuyerAndTheLeadSaysWhichRuleSaidNo() throws Exception {
        try (StubBuyer picky = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED))) {
            install("rcp_rulesPicky", picky, """
                    accept_if:
                      - field: score
                        min: 50
                      - any:
                          - field: state
                            in: [CA, NV]
                          - field: email
                            matches: '@buyer-friends\\.example$'
                    """);
            String refused = router.postLead(lead("ann@example.com", "5551230001", "tx"));
            String taken = router.postLead(lead("bob@example.com", "5551230002", "ca"));
            String friend = router.postLead(lead("cy@buyer-friends.example", "5551230003", "tx"));
            for (String leadId : List.of(refused, taken, friend)) {
                router.awaitCompleted(leadId);
            }
            assertEquals(2, picky.requestCount(), "only the two leads its filter takes reach it");
            assertEquals(0, router.events(refused).size(), "no attempt, no event for a filtered buyer");
            assertEquals(2, RouterUnderTest.count(router.events(taken), "recipient.delivery_attempt")
                    + RouterUnderTest.count(router.events(friend), "recipient.delivery_attempt"));

            JsonNode no = buyerInDetails(refused, "rcp_rulesPicky");
            assertFalse(no.path("selected").asBoolean(), no.toPrettyString());
            assertEquals("filtered", no.path("rule").path("decision").asText());
            assertEquals("accept_if[1].any", no.path("rule").path("rule").asText());
            assertTrue(no.path("why").asText().contains("accept_if[1].any"), no.toPrettyString());
            assertFalse(no.toString().contains("ann@example.com") && no.path("rule").toString().contains("ann@"),
                    "the decision names the rule, not the lead's values");
            assertTrue(buyerInDetails(taken, "rcp_rulesPicky").path("selected").asBoolean());
        }
    }

    @Test
    void aSuppressedConsumerIsNotOffered() throws Exception {
        try (StubBuyer buyer = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED))) {
            install("rcp_rulesSuppressing", buyer, "");
            String operator = router.newKey("operate");
            HttpResponse<String> added = router.call("POST", "/buyers/rcp_rulesSuppressing/suppressions", operator, "application/json",
                    "{\"emails\": [\" Dee@Example.COM \"], \"phones\": [\"+1 (555) 777-0001\"]}");
            assertEquals(200, added.statusCode(), added.body());
            assertEquals(2, RouterUnderTest.read(added.body()).path("added").asInt());
            assertEquals(400, router.call("POST", "/buyers/rcp_rulesSuppressing/suppressions", operator, "application/json",
                    "{\"names\": [\"x\"]}").statusCode());
            HttpResponse<String> notAPhone = router.call("POST", "/buyers/rcp_rulesSuppressing/suppressions", operator, "application/json",
                    "{\"phones\": [\"5551112222\", \"n/a\"]}");
            assertEquals(400, notAPhone.statusCode());
            assertTrue(notAPhone.body().contains("phones[1]: not a phone number"), notAPhone.body());
            assertEquals(403, router.call("POST", "/buyers/rcp_rulesSuppressing/suppressions", router.newBuyerKey("rcp_someoneElse"),
                    "application/json", "{\"emails\": [\"x@example.com\"]}").statusCode(), "a buyer key adds to its own list only");
            assertEquals(200, router.call("POST", "/buyers/rcp_rulesSuppressing/suppressions", router.newBuyerKey("rcp_rulesSuppressing"),
                    "application/json", "{\"emails\": [\"dee@example.com\"]}").statusCode(), "its own: already there, nothing new");
            assertEquals(404, router.call("POST", "/buyers/rcp_nobodyAtAll/suppressions", operator, "application/json",
                    "{\"emails\": [\"x@example.com\"]}").statusCode());
            assertEquals(1, router.count("select count(*) from buyer_suppressions where identity = sha256('email:dee@example.com'::bytea)"),
                    "stored normalised, as a SHA-256 hash");
            assertEquals(1, router.count("select count(*) from buyer_suppressions where identity = sha256('phone:5557770001'::bytea)"));
            assertEquals(0, router.count("select count(*) from buyer_suppressions where octet_length(identity) <> 32"), "hashes only");

            String byEmail = router.postLead(lead("dee@example.com", "5550000000", "ca"));
            String byPhone = router.postLead(lead("other@example.com", "555-777-0001", "ca"));
            String free = router.postLead(lead("free@example.com", "5559990000", "ca"));
            for (String leadId : List.of(byEmail, byPhone, free)) {
                router.awaitCompleted(leadId);
            }
            assertEquals(1, buyer.requestCount());
            assertTrue(buyer.requests().get(0).body().contains("5559990000"));
            assertEquals("suppressed", buyerInDetails(byEmail, "rcp_rulesSuppressing").path("rule").path("decision").asText());
            assertEquals("suppressed", buyerInDetails(byPhone, "rcp_rulesSuppressing").path("rule").path("decision").asText());
        }
    }

    @Test
    void aSuppressionFileIsTheBuyersListAndIsReadAgainWhenItChanges() throws Exception {
        try (StubBuyer buyer = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED))) {
            install("rcp_rulesSuppressFile", buyer, "");
            java.nio.file.Path folder = java.nio.file.Files.createDirectories(router.suppressionsDir());
            java.nio.file.Path file = folder.resolve("rcp_rulesSuppressFile.txt");
            java.nio.file.Files.writeString(file, "# do not call\nHal@Example.com\n(555) 888-0001\nnot a consumer\n");
            String suppressed = "select count(*) from buyer_suppressions where recipient_id = 'rcp_rulesSuppressFile' and source = 'file'";
            Awaitility.await("the file read").atMost(Duration.ofSeconds(10)).until(() -> router.count(suppressed) == 2);
            assertEquals(1, router.count("select count(*) from buyer_suppressions where identity = sha256('email:hal@example.com'::bytea)"));

            String byEmail = router.postLead(lead("hal@example.com", "5550000001", "ca"));
            String byPhone = router.postLead(lead("ivy@example.com", "555 888 0001", "ca"));
            router.awaitCompleted(byEmail);
            router.awaitCompleted(byPhone);
            assertEquals(0, buyer.requestCount());

            // the e-mail line goes: the list follows the file, and that consumer is offered again
            java.nio.file.Files.writeString(file, "(555) 888-0001\n");
            Awaitility.await("the changed file read").atMost(Duration.ofSeconds(10)).until(() -> router.count(suppressed) == 1);
            String again = router.postLead(lead("hal@example.com", "5550000001", "ca"));
            router.awaitCompleted(again);
            assertEquals(1, buyer.requestCount());
            assertEquals("suppressed", buyerInDetails(byEmail, "rcp_rulesSuppressFile").path("rule").path("decision").asText());
            java.nio.file.Files.delete(file);
            Awaitility.await("the removed file's list gone").atMost(Duration.ofSeconds(10)).until(() -> router.count(suppressed) == 0);
            java.nio.file.Files.delete(folder);
        }
    }

    @Test
    void ofTwentyEqualLeadsAtOnceOnlyOneIsSold() throws Exception {
        try (StubBuyer buyer = StubBuyer.answering(Reply.after(Duration.ofMillis(100), Reply.json(200, BuyerFiles.ACCEPTED)))) {
            install("rcp_rulesDedupe", buyer, """
                    dedupe:
                      window_days: 30
                    """);
            String sameConsumer = lead("Eve@Example.com", "555 222 0001", "ca");
            ExecutorService posters = Executors.newFixedThreadPool(10);
            List<Future<String>> posted = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                posted.add(posters.submit(() -> router.postLead(sameConsumer)));
            }
            List<String> leads = new ArrayList<>();
            for (Future<String> leadId : posted) {
                leads.add(leadId.get());
            }
            posters.shutdown();
            leads.forEach(router::awaitCompleted);
            assertEquals(1, buyer.requestCount(), "the consumer is sold to the buyer once");
            assertEquals(19, router.count("select count(*) from routing_decisions where recipient_id = 'rcp_rulesDedupe' and decision = 'duplicate'"));
            // within the window, later too; another consumer is not a duplicate
            String later = router.postLead(lead("eve@example.com", "5550001111", "ca"));
            String other = router.postLead(lead("zed@example.com", "5550002222", "ca"));
            router.awaitCompleted(later);
            router.awaitCompleted(other);
            assertEquals(2, buyer.requestCount());
            assertTrue(buyerInDetails(later, "rcp_rulesDedupe").path("rule").path("detail").asText().contains("was sold to the buyer in lead"));
            assertEquals(0, router.count("select count(*) from consumer_claims where lead_id = '" + later + "'"));
        }
    }

    @Test
    void aCapCountsOnlyLeadsBoughtAndSkipsTheBuyerOnceReached() throws Exception {
        String rejected = "{\"result\":\"rejected\",\"message\":\"not this one\"}";
        try (StubBuyer buyer = StubBuyer.answering(Reply.json(200, rejected), Reply.json(200, BuyerFiles.ACCEPTED))) {
            install("rcp_rulesCapped", buyer, """
                    time_zone: America/Chicago
                    caps:
                      leads:
                        day: 2
                      budget:
                        month: 1000
                    """);
            List<String> leads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String leadId = router.postLead(lead("cap" + i + "@example.com", "555300000" + i, "ca"));
                router.awaitCompleted(leadId); // one after another: which one is refused is known
                leads.add(leadId);
            }
            assertEquals(3, buyer.requestCount(), "the refused lead gave its slot back: two sold, then the cap");
            JsonNode skipped = buyerInDetails(leads.get(3), "rcp_rulesCapped");
            assertEquals("cap_reached", skipped.path("rule").path("decision").asText(), skipped.toPrettyString());
            assertEquals("caps.leads.day", skipped.path("rule").path("rule").asText());
            assertEquals(2, router.count("select leads from cap_usage where recipient_id = 'rcp_rulesCapped' and period = 'day'"));
            assertEquals(90, router.count("select amount::int from cap_usage where recipient_id = 'rcp_rulesCapped' and period = 'month'"));
            assertEquals(2, router.count("select count(*) from cap_reservations where recipient_id = 'rcp_rulesCapped' and sold_at is not null"));
            JsonNode rules = null;
            for (JsonNode listed : RouterUnderTest.read(router.get("/buyers").body()).path("buyers")) {
                rules = listed.path("id").asText().equals("rcp_rulesCapped") ? listed.path("rules") : rules;
            }
            assertEquals("America/Chicago", rules.path("time_zone").asText(), String.valueOf(rules));
            assertEquals("caps.leads.day", rules.path("caps").get(0).path("rule").asText());
            assertEquals(2, rules.path("caps").get(0).path("limit").asInt());
            assertEquals(2, rules.path("caps").get(0).path("used").asInt(), "GET /buyers shows the cap used up");
            assertEquals(90, rules.path("caps").get(1).path("used").asInt(), "and the month's budget: two sales at 45.00");
        }
    }

    @Test
    void aSaleWhoseSlotAndClaimsWereGivenBackMeanwhileCountsAgain() throws Exception {
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        try (StubBuyer buyer = StubBuyer.answering(Reply.once(answer, Reply.json(200, BuyerFiles.ACCEPTED)))) {
            install("rcp_rulesGivenBack", buyer, "caps:\n  leads:\n    day: 5\ndedupe:\n  window_days: 30\n");
            String leadId = router.postLead(lead("jo@example.com", "5556660000", "ca"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> buyer.requestCount() == 1);
            // what another instance's sweep does to the offers of an instance that looked gone: gives them back
            assertEquals(1, router.count("with given as (delete from cap_reservations where lead_id = '" + leadId + "' returning 1), "
                    + "uncounted as (update cap_usage set leads = leads - 1 where recipient_id = 'rcp_rulesGivenBack') select count(*) from given"));
            assertEquals(2, router.count("with given as (delete from consumer_claims where lead_id = '" + leadId + "' returning 1) select count(*) from given"));
            answer.countDown();
            router.awaitCompleted(leadId);
            assertEquals(1, router.count("select leads from cap_usage where recipient_id = 'rcp_rulesGivenBack' and period = 'day'"),
                    "the sale is counted again");
            assertEquals(1, router.count("select count(*) from cap_reservations where sold_at is not null and lead_id = '" + leadId + "'"));
            assertEquals(2, router.count("select count(*) from consumer_claims where sold_at is not null and lead_id = '" + leadId + "'"),
                    "its consumer is the buyer's again");
        }
    }

    @Test
    void aClosedBuyerSkipsOrHoldsItsLeadAndTakesTheHeldOneWhenItOpens() throws Exception {
        // closed today and tomorrow (UTC): open only two days from now
        String closedNow = "schedule:\n  hours:\n    " + day(2) + ": \"00:00-24:00\"\n";
        String openNow = "schedule:\n  hours:\n" + List.of(DayOfWeek.values()).stream()
                .map(d -> "    " + d.name().substring(0, 3).toLowerCase(Locale.ROOT) + ": \"00:00-24:00\"\n").reduce("", String::concat);
        try (StubBuyer skipping = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED));
                StubBuyer holding = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED))) {
            install("rcp_rulesClosedSkip", skipping, closedNow + "  outside_hours: skip\n");
            String holdFile = install("rcp_rulesClosedHold", holding, closedNow + "  outside_hours: hold\n  max_hold_minutes: 60\n");
            String leadId = router.postLead(lead("fay@example.com", "5554440000", "ca"));
            router.awaitCompleted(leadId);
            assertEquals(0, skipping.requestCount());
            assertEquals(0, holding.requestCount());
            assertEquals("outside_hours", buyerInDetails(leadId, "rcp_rulesClosedSkip").path("rule").path("decision").asText());
            JsonNode held = buyerInDetails(leadId, "rcp_rulesClosedHold");
            assertTrue(held.path("why").asText().contains("the buyer is closed"), held.toPrettyString());
            assertEquals(1, router.count("select count(*) from held_leads where held_for = 'schedule' and recipient_id = 'rcp_rulesClosedHold' and lead_id = '" + leadId + "'"));

            // the buyer opens (its file changes): the held lead is offered then, once
            router.writeBuyer(holdFile, BuyerFiles.jsonBuyer("rcp_rulesClosedHold", "Buyer rcp_rulesClosedHold", holding.url("/leads"), 1, false, 1)
                    + openNow + "  outside_hours: hold\n");
            Awaitility.await("the held lead delivered once the buyer opens").atMost(Duration.ofSeconds(20))
                    .until(() -> RouterUnderTest.count(router.events(leadId), "recipient.delivered") == 1);
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> router.count("select count(*) from held_leads where lead_id = '" + leadId + "'") == 0);
            assertEquals(1, holding.requestCount());
            assertEquals(0, skipping.requestCount());
        }
    }

    @Test
    void aLeadHeldLongerThanTheBuyerAllowsIsLetGoWhileTheBuyerIsStillClosed() throws Exception {
        try (StubBuyer holding = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED))) {
            install("rcp_rulesHoldExpiry", holding, "schedule:\n  hours:\n    " + day(2) + ": \"00:00-24:00\"\n"
                    + "  outside_hours: hold\n  max_hold_minutes: 60\n");
            String leadId = router.postLead(lead("gus@example.com", "5554441111", "ca"));
            router.awaitCompleted(leadId);
            assertEquals(1, router.count("select count(*) from held_leads where lead_id = '" + leadId + "'"));
            // as if it had waited two hours
            assertEquals(1, router.count("with backdated as (update held_leads set held_at = held_at - interval '2 hours' where lead_id = '"
                    + leadId + "' returning 1) select count(*) from backdated"));
            Awaitility.await("the expired hold let go").atMost(Duration.ofSeconds(10))
                    .until(() -> router.count("select count(*) from held_leads where lead_id = '" + leadId + "'") == 0);
            JsonNode expired = buyerInDetails(leadId, "rcp_rulesHoldExpiry");
            assertEquals("hold_expired", expired.path("rule").path("decision").asText(), expired.toPrettyString());
            assertFalse(expired.path("selected").asBoolean());
            assertEquals(0, holding.requestCount());
        }
    }

    private static String day(int daysFromNow) {
        return LocalDate.now(ZoneOffset.UTC).plusDays(daysFromNow).getDayOfWeek().name().substring(0, 3).toLowerCase(Locale.ROOT);
    }
}
