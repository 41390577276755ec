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
 * alerts table, on the alerts topic, in GET /alerts and in the log.
 */
class AlertsTest {

    @Test
    void aFailingBuyerRaisesConsecutiveFailuresAndOfflineOnceAndADeliveryResolvesThem() throws Exception {
        try (StubBuyer flaky = StubBuyer.answering(Reply.json(503, "{\"error\":\"down\"}"));
                LogCapture log = new LogCapture("io.leadrouter.monitoring");
                RouterUnderTest router = RouterUnderTest.builder()
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
        }
    }

    @Test
    void aSlowBuyerAndARefusingBuyerRaiseResponseTimeAndDeliveryRate() throws Exception {
        try (StubBuyer slow = StubBuyer.answering(Reply.after(Duration.ofMillis(400), Reply.json(200, BuyerFiles.ACCEPTED)));
                StubBuyer refusing = StubBuyer.answering(Reply.json(200, "{\"result\":\"rejected\",\"message\":\"daily cap reached\"}"));
                RouterUnderTest router = RouterUnderTest.builder()
                        .property("leadrouter.alerts.period-ms", "300")
                        .property("leadrouter.alerts.response-time-above-ms", "200")
                        .property("leadrouter.alerts.min-offers", "3").start()) {
            router.installBuyer("s.yaml", "rcp_alertSlow", BuyerFiles.jsonBuyer("rcp_alertSlow", "Slow", slow.url("/leads"), 2, false, 1));
            router.installBuyer("r.yaml", "rcp_alertRefuse", BuyerFiles.jsonBuyer("rcp_alertRefuse", "Refusing", refusing.url("/leads"), 1, false, 1));
            for (int i = 0; i < 3; i++) {
                router.awaitCompleted(router.postLead(BuyerFiles.SAMPLE_LEAD));
            }
            awaitOpen(router, "response_time_high", "rcp_alertSlow");
            awaitOpen(router, "delivery_rate_low", "rcp_alertRefuse");
            assertEquals(0, router.count("select count(*) from alerts where recipient_id = 'rcp_alertSlow' and alert = 'delivery_rate_low'"),
                    "the slow buyer delivers every lead");
            String message = router.texts("select message from alerts where alert = 'delivery_rate_low'").get(0);
            assertTrue(message.contains("Refusing: delivery rate 0.0 %") && message.contains("0 of 3 offers"), message);
        }
    }

    private static void awaitOpen(RouterUnderTest router, String alert, String buyerId) {
        Awaitility.await(alert + " raised for " + buyerId).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> router.count("select count(*) from alerts where resolved_at is null and alert = '" + alert
                        + "' and recipient_id = '" + buyerId + "'") == 1);
    }
}
