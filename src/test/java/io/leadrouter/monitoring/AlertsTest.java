package io.leadrouter.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.FirehoseReader;
import io.leadrouter.testing.LogCapture;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The spec's alerts raised and resolved for real, with small thresholds: a buyer failing in a row
 * (and offline), a slow buyer, a refusing buyer. Each alert is raised once and resolved once: in the
 * alerts table, on the alerts topic, in GET /alerts and in the log; also with two instances
 * evaluating, and across a restart.
 */
class AlertsTest {

    @Test
    void aFailingBuyerRaisesConsecutiveFailuresAndOfflineOnceAndADeliveryResolvesThem() throws Exception {
        try (StubBuyer flaky = StubBuyer.answering(Reply.json(503, "{\"error\":\"down\"}"));
                StubBuyer chat = StubBuyer.answering(Reply.json(500, "{}"), Reply.status(200, "text/plain", "ok"));
                LogCapture log = new LogCapture("io.leadrouter.monitoring");
                RouterUnderTest router = RouterUnderTest.builder()
                        .property("leadrouter.alerts.notify-url", chat.url("/hooks/T000/SECRET123"))
                        .property("leadrouter.alerts.notify-retry-delay-ms", "50")
                        .property("leadrouter.alerts.period-ms", "300")
                        .property("leadrouter.alerts.consecutive-failures-above", "2")
                        .property("leadrouter.alerts.offline-seconds", "1").start()) {
            router.installBuyer("f.yaml", "rcp_alertFlaky", BuyerFiles.jsonBuyer("rcp_alertFlaky", "Flaky", flaky.url("/leads"), 1, false, 1));
            for (int i = 0; i < 3; i++) {
                router.awaitCompleted(router.postLead(BuyerFiles.SAMPLE_LEAD));
            }
            awaitOpen(router, "consecutive_failures", "rcp_alertFlaky");
            awaitOpen(router, "buyer_offline", "rcp_alertFlaky");
            // further rounds and another failure raise nothing again
            router.awaitCompleted(router.postLead(BuyerFiles.SAMPLE_LEAD));
            long rounds = router.count("select count(*) from alerts");

            flaky.answerFromNowOn(Reply.json(200, BuyerFiles.ACCEPTED));
            router.awaitCompleted(router.postLead(BuyerFiles.SAMPLE_LEAD));
            Awaitility.await("both resolved").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> router.count("select count(*) from alerts where resolved_at is not null") == 2);

            assertEquals(2, rounds, "raised once each");
            assertEquals(2, router.count("select count(*) from alerts"), "and not raised again once resolved");
            JsonNode listed = RouterUnderTest.read(router.call("GET", "/alerts", router.newKey("read"), null, null).body()).path("alerts");
            assertEquals(2, listed.size(), listed.toString());
            listed.forEach(alert -> assertEquals("resolved", alert.path("status").asText(), alert.toString()));
            try (FirehoseReader topic = new FirehoseReader(router.alertsTopic())) {
                List<FirehoseReader.Record> published = topic.awaitRecordsOf("rcp_alertFlaky", 4);
                assertEquals(List.of("raised", "raised", "resolved", "resolved"),
                        published.stream().map(r -> r.event().path("status").asText()).sorted().toList(), published.toString());
                assertEquals("Flaky", published.get(0).event().path("recipient").path("name").asText());
            }
            assertEquals(4, log.lines().stream().filter(line -> line.startsWith("WARN Alert ")
                    && line.contains("rcp_alertFlaky")).count(), "each raise and resolution logged at WARN once");
            // and posted to the notification URL, Slack's way; the first post failed (500) and was retried
            Awaitility.await("four notifications").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> chat.requestCount() == 5);
            List<String> texts = chat.requests().stream().map(r -> RouterUnderTest.read(r.body()).path("text").asText()).toList();
            assertEquals(2, texts.stream().filter(t -> t.equals(texts.get(0))).count(), "the failed post retried as it was: " + texts);
            assertEquals(2, texts.stream().distinct().filter(t -> t.contains(" raised for rcp_alertFlaky")).count(), texts.toString());
            assertEquals(2, texts.stream().distinct().filter(t -> t.contains(" resolved for rcp_alertFlaky")).count(), texts.toString());
            chat.requests().forEach(r -> assertEquals("application/json", r.header("Content-Type")));
            assertTrue(log.lines().stream().noneMatch(line -> line.contains("SECRET123")), "the URL's token is in no log line");
        }
    }

    @Test
    void aSlowBuyerAndARefusingBuyerRaiseResponseTimeAndDeliveryRateAndBothResolveOnceTheWindowMovesOn() throws Exception {
        try (StubBuyer slow = StubBuyer.answering(Reply.after(Duration.ofMillis(400), Reply.json(200, BuyerFiles.ACCEPTED)));
                StubBuyer refusing = StubBuyer.answering(Reply.json(200, "{\"result\":\"rejected\",\"message\":\"daily cap reached\"}"));
                StubBuyer chat = StubBuyer.answering(Reply.status(200, "text/plain", "ok"));
                RouterUnderTest router = RouterUnderTest.builder()
                        .property("leadrouter.alerts.notify-url", chat.url("/hooks/T000/SECRET789"))
                        .property("leadrouter.alerts.period-ms", "300")
                        .property("leadrouter.alerts.window-seconds", "8")
                        .property("leadrouter.alerts.min-offers", "3").start()) {
            // the slow buyer's own threshold (its file's alerts section); the router's stays at 5 s
            router.installBuyer("s.yaml", "rcp_alertSlow", BuyerFiles.jsonBuyer("rcp_alertSlow", "Slow", slow.url("/leads"), 2, false, 1)
                    + "alerts:\n  response_time_above_ms: 200\n");
            router.installBuyer("r.yaml", "rcp_alertRefuse", BuyerFiles.jsonBuyer("rcp_alertRefuse", "Refusing", refusing.url("/leads"), 1, false, 1));
            List<String> leads = List.of(router.postLead(BuyerFiles.SAMPLE_LEAD), router.postLead(BuyerFiles.SAMPLE_LEAD),
                    router.postLead(BuyerFiles.SAMPLE_LEAD));
            leads.forEach(router::awaitCompleted);
            awaitOpen(router, "response_time_high", "rcp_alertSlow");
            awaitOpen(router, "delivery_rate_low", "rcp_alertRefuse");
            assertEquals(0, router.count("select count(*) from alerts where recipient_id = 'rcp_alertSlow' and alert = 'delivery_rate_low'"),
                    "the slow buyer delivers every lead");
            assertEquals(0, router.count("select count(*) from alerts where recipient_id = 'rcp_alertRefuse' and alert = 'response_time_high'"),
                    "the refusing buyer answers at once, and the router's own threshold is 5 s");
            String message = router.texts("select message from alerts where alert = 'delivery_rate_low'").get(0);
            assertTrue(message.contains("Refusing: delivery rate 0.0 %") && message.contains("0 of 3 offers"), message);

            // no more offers: once the window has moved past them, both are resolved
            Awaitility.await("both resolved").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> router.count("select count(*) from alerts where resolved_at is not null") == 2);
            assertEquals(2, router.count("select count(*) from alerts"), "raised once each");
            Awaitility.await("four notifications").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> chat.requestCount() == 4);
            List<String> texts = chat.requests().stream().map(r -> RouterUnderTest.read(r.body()).path("text").asText()).toList();
            for (String expected : List.of("response_time_high raised for rcp_alertSlow", "delivery_rate_low raised for rcp_alertRefuse",
                    "response_time_high resolved for rcp_alertSlow", "delivery_rate_low resolved for rcp_alertRefuse")) {
                assertEquals(1, texts.stream().filter(t -> t.contains(expected)).count(), expected + " in " + texts);
            }
        }
    }

    @Test
    void aNotificationEndpointThatIsDownIsGivenUpOnAndTheAlertsGoOn() throws Exception {
        try (StubBuyer failing = StubBuyer.answering(Reply.json(503, "{\"error\":\"down\"}"));
                LogCapture log = new LogCapture("io.leadrouter.monitoring");
                RouterUnderTest router = RouterUnderTest.builder()
                        .property("leadrouter.alerts.notify-url", "http://127.0.0.1:" + RouterUnderTest.freePort() + "/hooks/SECRET456")
                        .property("leadrouter.alerts.notify-retries", "1")
                        .property("leadrouter.alerts.notify-retry-delay-ms", "50")
                        .property("leadrouter.alerts.period-ms", "300")
                        .property("leadrouter.alerts.consecutive-failures-above", "0").start()) {
            router.installBuyer("f.yaml", "rcp_alertNoChat", BuyerFiles.jsonBuyer("rcp_alertNoChat", "NoChat", failing.url("/leads"), 1, false, 1));
            router.awaitCompleted(router.postLead(BuyerFiles.SAMPLE_LEAD));
            awaitOpen(router, "consecutive_failures", "rcp_alertNoChat");
            Awaitility.await("the notification given up").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> log.lines().stream().anyMatch(line -> line.startsWith("ERROR Alert notification not delivered after 2 attempt(s)")
                            && line.contains("consecutive_failures raised for rcp_alertNoChat")));
            assertTrue(log.lines().stream().noneMatch(line -> line.contains("SECRET456")), "the URL's token is in no log line");
        }
    }

    @Test
    void twoInstancesAndARestartRaiseAnOpenAlertOnce() throws Exception {
        try (StubBuyer failing = StubBuyer.answering(Reply.json(503, "{\"error\":\"down\"}"))) {
            RouterUnderTest first = alertingRouter(RouterUnderTest.builder());
            try (first; RouterUnderTest second = alertingRouter(RouterUnderTest.builder().sameStorageAs(first))) {
                first.installBuyer("f.yaml", "rcp_alertTwice", BuyerFiles.jsonBuyer("rcp_alertTwice", "Twice", failing.url("/leads"), 1, false, 1));
                second.awaitBuyer("rcp_alertTwice");
                first.awaitCompleted(first.postLead(BuyerFiles.SAMPLE_LEAD));
                second.awaitCompleted(second.postLead(BuyerFiles.SAMPLE_LEAD));
                awaitOpen(first, "consecutive_failures", "rcp_alertTwice");
                // both instances go on evaluating, each every 200 ms: still the one alert
                Awaitility.await("one alert while two instances evaluate").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> first.count("select count(*) from alerts") == 1);
            }
            try (RouterUnderTest restarted = alertingRouter(RouterUnderTest.builder().sameStorageAs(first))) {
                restarted.awaitBuyer("rcp_alertTwice");
                Awaitility.await("one alert after a restart").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> restarted.count("select count(*) from alerts where resolved_at is null") == 1
                                && restarted.count("select count(*) from alerts") == 1);
            }
        }
    }

    private static RouterUnderTest alertingRouter(RouterUnderTest.Builder builder) throws Exception {
        return builder.property("leadrouter.alerts.period-ms", "200").property("leadrouter.alerts.consecutive-failures-above", "1").start();
    }

    private static void awaitOpen(RouterUnderTest router, String alert, String buyerId) {
        Awaitility.await(alert + " raised for " + buyerId).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> router.count("select count(*) from alerts where resolved_at is null and alert = '" + alert
                        + "' and recipient_id = '" + buyerId + "'") == 1);
    }
}
