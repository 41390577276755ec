package io.leadrouter.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.LogCapture;
import io.leadrouter.testing.PrometheusText;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The circuit breaker per buyer, against real buyers: it opens after five technical failures in a
 * row, holds the buyer's leads (while the walk goes on to the other buyers), probes with the longest
 * held lead once the cool-down is over, doubles the cool-down after a failed probe, and once a probe
 * is answered delivers every held lead exactly once; also across a restart; and pause and resume
 * by hand. The cool-down is made "over" by moving the stored probe time to now, so that no test
 * depends on how fast this machine is.
 */
class CircuitBreakerTest {

    private static final String DOWN = "rcp_circuitDown";
    private static final String HEALTHY = "rcp_circuitHealthy";
    private static final String ERROR = "{\"error\":\"down\"}";

    @Test
    void opensHoldsProbesClosesAndDeliversEveryHeldLeadOnce() throws Exception {
        try (StubBuyer down = StubBuyer.answering(Reply.json(503, ERROR));
                StubBuyer healthy = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED));
                LogCapture log = new LogCapture();
                RouterUnderTest router = RouterUnderTest.builder()
                        .property("leadrouter.circuit.cool-down-ms", "60000")
                        .property("leadrouter.circuit.max-cool-down-ms", "600000")
                        .property("leadrouter.circuit.sweep-ms", "100")
                        .property("leadrouter.alerts.period-ms", "200").start()) {
            router.installBuyer("down.yaml", DOWN, BuyerFiles.jsonBuyer(DOWN, "Down", down.url("/leads"), 1, false, 3));
            router.installBuyer("healthy.yaml", HEALTHY, BuyerFiles.jsonBuyer(HEALTHY, "Healthy", healthy.url("/leads"), 2, false, 1));
            List<String> leads = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String leadId = router.postLead(BuyerFiles.SAMPLE_LEAD);
                router.awaitCompleted(leadId);
                leads.add(leadId);
            }

            // lead 1: three failed attempts, dead-lettered; lead 2: two more, the circuit opens, its third attempt is held;
            // leads 3-10 held without a call. The other buyer got every lead meanwhile.
            assertEquals(5, down.requestCount(), "five calls, then none");
            assertEquals(10, healthy.requestCount(), "the walk went on to the next buyer");
            assertEquals(1, router.count("select count(*) from dead_letters where recipient_id = '" + DOWN + "'"));
            assertEquals(9, router.count("select count(*) from held_leads where recipient_id = '" + DOWN + "'"));
            JsonNode circuit = buyer(router, DOWN).path("circuit");
            assertEquals("open", circuit.path("state").asText(), circuit.toString());
            assertEquals(9, circuit.path("held_leads").asInt(), circuit.toString());
            assertTrue(circuit.path("reason").asText().startsWith("5 technical failures in a row"), circuit.toString());
            assertEquals("closed", buyer(router, HEALTHY).path("circuit").path("state").asText());
            awaitAlert(router, "circuit_open", "open");
            String reader = router.newKey("read");
            Awaitility.await("circuit and held leads in the metrics").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> metric(router, reader, "leadrouter_held_leads", Map.of("recipient_id", DOWN)) == 9);
            assertEquals(1, metric(router, reader, "leadrouter_buyer_circuit", Map.of("recipient_id", DOWN, "state", "open")));
            assertEquals(0, metric(router, reader, "leadrouter_buyer_circuit", Map.of("recipient_id", DOWN, "state", "closed")));
            assertTrue(log.lines().stream().anyMatch(line -> line.startsWith("WARN Circuit of buyer " + DOWN + " opened")), "logged");

            // the cool-down is over: one probe, it fails, the cool-down doubles and the lead is held again
            probeNow(router);
            Awaitility.await("a failed probe, its lead held again").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> router.count("select coalesce(max(cool_down_ms), 0) from buyer_circuits where state = 'open' and recipient_id = '" + DOWN + "'")
                            == 120_000 && router.count("select count(*) from held_leads where released_at is null") == 9);
            assertEquals(6, down.requestCount(), "one probe");
            assertTrue(router.count("select count(*) from buyer_circuits where probe_at > now() + interval '100 seconds'") == 1,
                    "the next probe two minutes on");

            // the buyer is back: the next probe is answered, the circuit closes and every held lead goes, once
            down.answerFromNowOn(Reply.json(200, BuyerFiles.ACCEPTED));
            probeNow(router);
            Awaitility.await("every held lead delivered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> router.count("select count(*) from held_leads") == 0);
            List<String> held = leads.subList(1, 10);
            for (String leadId : held) {
                assertEquals(1, deliveredTo(router, leadId, DOWN), "lead " + leadId + " delivered once");
            }
            assertEquals(15, down.requestCount(), "five, two probes, eight more held leads");
            List<StubBuyer.ReceivedRequest> calls = down.requests();
            assertEquals(DeliveryAttempt.idempotencyKey(leads.get(1), DOWN), calls.get(6).header("Idempotency-Key"),
                    "the probe that closed it was the longest held lead");
            Set<String> released = new HashSet<>();
            calls.subList(6, 15).forEach(call -> released.add(call.header("Idempotency-Key")));
            assertEquals(new HashSet<>(held.stream().map(id -> DeliveryAttempt.idempotencyKey(id, DOWN)).toList()), released);
            assertEquals("closed", buyer(router, DOWN).path("circuit").path("state").asText());
            awaitAlert(router, "circuit_open", "resolved");
            assertEquals(10, healthy.requestCount(), "nothing sent twice to the other buyer");
        }
    }

    @Test
    void aBuyerOnAClosedPortGetsFiveCallsHoweverManyLeadsComeAtOnce() throws Exception {
        try (RouterUnderTest router = RouterUnderTest.builder()
                .property("leadrouter.circuit.failures-to-open", "5")
                .property("leadrouter.circuit.cool-down-ms", "60000")
                .property("leadrouter.circuit.max-cool-down-ms", "600000").start()) {
            String closedPort = "http://127.0.0.1:" + RouterUnderTest.freePort() + "/leads";
            router.installBuyer("refusing.yaml", DOWN, BuyerFiles.jsonBuyer(DOWN, "Refusing", closedPort, 1, false, 3));
            List<String> leads = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                leads.add(router.postLead(BuyerFiles.SAMPLE_LEAD)); // not waiting: the leads reach the buyer's route together
            }
            leads.forEach(router::awaitCompleted);
            Awaitility.await("every lead held or dead-lettered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> router.count("select count(*) from held_leads") + router.count("select count(*) from dead_letters") == 30);
            assertEquals(5, router.count("select count(*) from recipient_events where event_type = 'recipient.delivery_attempt'"),
                    "on probation until it answers: five calls in all, not one per delivery in flight");
            assertEquals(5, router.count("select count(*) from recipient_events where event_type = 'recipient.failed'"
                    + " and failure_reason = 'Connection Refused'"));
        }
    }

    @Test
    void heldLeadsSurviveARestartAndGoOutOnceTheBuyerAnswers() throws Exception {
        try (StubBuyer down = StubBuyer.answering(Reply.json(503, ERROR))) {
            List<String> leads = new ArrayList<>();
            List<String> held;
            RouterUnderTest first = shortCoolDown(RouterUnderTest.builder());
            try (first) {
                first.installBuyer("down.yaml", DOWN, BuyerFiles.jsonBuyer(DOWN, "Down", down.url("/leads"), 1, false, 1));
                for (int i = 0; i < 6; i++) {
                    String leadId = first.postLead(BuyerFiles.SAMPLE_LEAD);
                    first.awaitCompleted(leadId);
                    leads.add(leadId);
                }
                // two failures open it; the rest are held (a failed probe goes back to the held leads)
                held = first.texts("select lead_id from held_leads order by held_at");
                assertEquals(leads.subList(2, 6), held);
                assertEquals(2, first.count("select count(*) from dead_letters"), "the two that opened it, their only attempt used");
            }
            down.answerFromNowOn(Reply.json(200, BuyerFiles.ACCEPTED));
            try (RouterUnderTest second = shortCoolDown(RouterUnderTest.builder().sameStorageAs(first))) {
                Awaitility.await("held leads delivered after the restart").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> second.count("select count(*) from held_leads") == 0);
                for (String leadId : held) {
                    assertEquals(1, deliveredTo(second, leadId, DOWN), "lead " + leadId + " delivered once");
                }
                assertEquals("closed", second.texts("select state from buyer_circuits where recipient_id = '" + DOWN + "'").get(0));
            }
        }
    }

    @Test
    void anOperatorPausesAndResumesABuyerAndAnExclusiveSaleWithdrawsItsHeldLead() throws Exception {
        try (StubBuyer first = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED));
                StubBuyer second = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED));
                RouterUnderTest router = shortCoolDown(RouterUnderTest.builder())) {
            String firstId = "rcp_circuitFirst";
            String secondId = "rcp_circuitSecond";
            router.installBuyer("first.yaml", firstId, BuyerFiles.jsonBuyer(firstId, "First", first.url("/leads"), 1, false, 1));
            String operator = router.newKey("operate");
            assertEquals(404, router.call("POST", "/buyers/rcp_nobody/pause", operator, null, null).statusCode());
            assertEquals(409, router.call("POST", "/buyers/" + firstId + "/resume", operator, null, null).statusCode(), "not held");
            assertEquals(403, router.call("POST", "/buyers/" + firstId + "/pause", router.newKey("read"), null, null).statusCode());

            HttpResponse<String> paused = router.call("POST", "/buyers/" + firstId + "/pause", operator, null, null);
            assertEquals(200, paused.statusCode(), paused.body());
            List<String> leads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String leadId = router.postLead(BuyerFiles.SAMPLE_LEAD);
                router.awaitCompleted(leadId);
                leads.add(leadId);
            }
            // paused: no call, no probe, however long
            Awaitility.await("nothing sent while paused").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> first.requestCount() == 0);
            assertEquals("paused", buyer(router, firstId).path("circuit").path("state").asText());
            assertEquals(3, buyer(router, firstId).path("circuit").path("held_leads").asInt());

            HttpResponse<String> resumed = router.call("POST", "/buyers/" + firstId + "/resume", operator, null, null);
            assertEquals(200, resumed.statusCode(), resumed.body());
            Awaitility.await("held leads delivered once resumed").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> router.count("select count(*) from held_leads") == 0);
            for (String leadId : leads) {
                assertEquals(1, deliveredTo(router, leadId, firstId));
            }
            assertEquals(List.of("buyer.paused", "buyer.resumed"), router.texts(
                    "select action from audit_log where subject = 'buyer:" + firstId + "' order by seq"), "audited");

            // exclusive buyers: the first is paused and holds the lead, the second buys it exclusively meanwhile;
            // once the first is resumed its held lead is withdrawn, not delivered
            router.installBuyer("first.yaml", firstId, BuyerFiles.jsonBuyer(firstId, "First", first.url("/leads"), 1, true, 1));
            router.installBuyer("second.yaml", secondId, BuyerFiles.jsonBuyer(secondId, "Second", second.url("/leads"), 2, true, 1));
            Awaitility.await("first exclusive").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> buyer(router, firstId).path("exclusive").asBoolean());
            assertEquals(200, router.call("POST", "/buyers/" + firstId + "/pause", operator, null, null).statusCode());
            String sold = router.postLead(BuyerFiles.SAMPLE_LEAD);
            router.awaitCompleted(sold);
            assertEquals(1, deliveredTo(router, sold, secondId), "the next exclusive buyer did not wait for the held one");
            assertEquals(200, router.call("POST", "/buyers/" + firstId + "/resume", operator, null, null).statusCode());
            Awaitility.await("held lead withdrawn").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> router.count("select count(*) from held_leads") == 0);
            assertEquals(0, deliveredTo(router, sold, firstId), "sold exclusively: not delivered to the held buyer");
            assertEquals(3, first.requestCount());
        }
    }

    private static RouterUnderTest shortCoolDown(RouterUnderTest.Builder builder) throws Exception {
        return builder.property("leadrouter.circuit.failures-to-open", "2")
                .property("leadrouter.circuit.cool-down-ms", "300")
                .property("leadrouter.circuit.max-cool-down-ms", "300")
                .property("leadrouter.circuit.sweep-ms", "100").start();
    }

    private static JsonNode buyer(RouterUnderTest router, String id) {
        for (JsonNode buyer : RouterUnderTest.read(router.get("/buyers").body()).path("buyers")) {
            if (buyer.path("id").asText().equals(id)) {
                return buyer;
            }
        }
        throw new AssertionError("no buyer " + id + " in GET /buyers");
    }

    private static long deliveredTo(RouterUnderTest router, String leadId, String buyerId) {
        return router.count("select count(*) from recipient_events where event_type = 'recipient.delivered' and lead_id = '" + leadId
                + "' and recipient_id = '" + buyerId + "'");
    }

    private static double metric(RouterUnderTest router, String key, String name, Map<String, String> labels) {
        return new PrometheusText(router.observe("/observe/metrics", key).body()).sum(name, labels);
    }

    private static void awaitAlert(RouterUnderTest router, String alert, String status) {
        String condition = status.equals("open") ? "resolved_at is null" : "resolved_at is not null";
        Awaitility.await(alert + " " + status).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> router.count("select count(*) from alerts where alert = '" + alert + "' and recipient_id = '" + DOWN
                        + "' and " + condition) == 1);
    }

    /** The cool-down is over: the stored probe time moves to now. */
    private static void probeNow(RouterUnderTest router) throws SQLException {
        try (Connection connection = router.connect(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("update buyer_circuits set probe_at = now() where recipient_id = '" + DOWN + "' and state = 'open'");
        }
    }
}
