package io.leadrouter.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.dev.EmbeddedPostgresService;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.PrometheusText;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The management server as an operator and Prometheus use it: health that follows the database,
 * the router's metrics moving for a delivered, a refused and a dead-lettered lead, Camel's route
 * MBeans read over Jolokia, and the keys each path asks for.
 */
class MonitoringTest {

    @Test
    void readinessGoesDownWhilePostgresIsAwayAndSaysWhyThenComesBack() throws Exception {
        EmbeddedPostgresService postgres = new EmbeddedPostgresService(RouterUnderTest.freePort(), Files.createTempDirectory("health-postgres"));
        postgres.start();
        try (RouterUnderTest router = RouterUnderTest.builder().database(postgres.jdbcUrl(), postgres.superuserPassword())
                .property("leadrouter.datasource.connect-timeout-ms", "1000").start()) {
            HttpResponse<String> ready = router.observe("/observe/health/ready", null);
            assertEquals(200, ready.statusCode(), "no key needed for the probes: " + ready.body());
            assertEquals("UP", RouterUnderTest.read(ready.body()).path("status").asText(), ready.body());
            JsonNode checks = RouterUnderTest.read(router.observe("/observe/health?data=true", null).body()).path("checks");
            assertTrue(checks.toString().contains("buyer-files") && checks.toString().contains("firehose-outbox")
                    && checks.toString().contains("\"database\""), "the router's own checks are listed: " + checks);

            postgres.stop();
            Awaitility.await("readiness DOWN").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> router.observe("/observe/health/ready", null).statusCode() == 503);
            String down = router.observe("/observe/health/ready", null).body();
            assertTrue(down.contains("\"database\"") && down.contains("PostgreSQL is unreachable"), down);
            assertEquals(200, router.observe("/observe/health/live", null).statusCode(), "alive: the outage is waited out");

            postgres.start();
            Awaitility.await("readiness UP again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> router.observe("/observe/health/ready", null).statusCode() == 200);
        } finally {
            postgres.stop();
        }
    }

    @Test
    void theRoutersMetricsMoveForADeliveredARefusedAndADeadLetteredLead() throws Exception {
        try (StubBuyer accepting = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED));
                StubBuyer refusing = StubBuyer.answering(Reply.json(200, "{\"result\":\"rejected\",\"message\":\"Duplicate lead - already purchased\"}"));
                StubBuyer failing = StubBuyer.answering(Reply.json(503, "{\"error\":\"down\"}"));
                RouterUnderTest router = RouterUnderTest.start()) {
            router.installBuyer("a.yaml", "rcp_metAccept", BuyerFiles.jsonBuyer("rcp_metAccept", "Accepting", accepting.url("/leads"), 3, false, 1));
            router.installBuyer("r.yaml", "rcp_metRefuse", BuyerFiles.jsonBuyer("rcp_metRefuse", "Refusing", refusing.url("/leads"), 1, false, 1));
            router.installBuyer("f.yaml", "rcp_metFail", BuyerFiles.jsonBuyer("rcp_metFail", "Failing", failing.url("/leads"), 2, false, 2));
            String reader = router.newKey("read");

            String leadId = router.postLead(BuyerFiles.SAMPLE_LEAD);
            router.awaitCompleted(leadId);
            Awaitility.await("the dead letter").atMost(Duration.ofSeconds(10))
                    .until(() -> router.count("select count(*) from dead_letters") == 1);

            HttpResponse<String> scraped = router.observe("/observe/metrics", reader);
            assertEquals(200, scraped.statusCode(), scraped.body());
            PrometheusText metrics = new PrometheusText(scraped.body());
            assertEquals(1, metrics.sum("leadrouter_leads_received_total", Map.of("source", "http")));
            assertEquals(1, metrics.sum("leadrouter_deliveries_total", Map.of("recipient_id", "rcp_metAccept", "recipient_name", "Accepting")));
            assertEquals(45.0, metrics.sum("leadrouter_revenue_total", Map.of("recipient_id", "rcp_metAccept")), "the file's price");
            assertEquals(0, metrics.sum("leadrouter_deliveries_total", Map.of("recipient_id", "rcp_metRefuse")));
            assertEquals(1, metrics.sum("leadrouter_delivery_failures_total",
                    Map.of("recipient_id", "rcp_metRefuse", "category", "business", "reason", "Duplicate Lead")));
            assertEquals(1, metrics.sum("leadrouter_delivery_final_failures_total", Map.of("recipient_id", "rcp_metRefuse")));
            assertEquals(2, metrics.sum("leadrouter_delivery_attempts_total", Map.of("recipient_id", "rcp_metFail")));
            assertEquals(1, metrics.sum("leadrouter_delivery_retries_total", Map.of("recipient_id", "rcp_metFail")));
            assertEquals(2, metrics.sum("leadrouter_delivery_failures_total",
                    Map.of("recipient_id", "rcp_metFail", "category", "technical", "reason", "Server Error")));
            assertEquals(1, metrics.sum("leadrouter_delivery_final_failures_total", Map.of("recipient_id", "rcp_metFail")));
            assertEquals(1, metrics.sum("leadrouter_dead_letters_total", Map.of("recipient_id", "rcp_metFail")));
            assertEquals(4, metrics.sum("leadrouter_delivery_attempts_total", Map.of()), "1 + 1 + 2 calls");
            for (String le : new String[] {"0.5", "2.0", "5.0"}) {
                assertEquals(1, metrics.sum("leadrouter_delivery_response_seconds_bucket",
                        Map.of("recipient_id", "rcp_metAccept", "outcome", "delivered", "le", le)), "the spec's " + le + " s bucket");
            }
            assertEquals(0, metrics.sum("leadrouter_deliveries_in_flight", Map.of("recipient_id", "rcp_metAccept")));
            assertTrue(metrics.has("leadrouter_firehose_outbox_events") && metrics.has("leadrouter_leads_in_progress"));
            assertTrue(metrics.sum("camel_exchanges_total", Map.of("routeId", "deliver-rcp_metAccept")) >= 1,
                    "Camel's own route metrics, by route id");
        }
    }

    @Test
    void jolokiaShowsEveryBuyersRouteWithItsExchangeCountsToOperateKeysOnly() throws Exception {
        try (StubBuyer accepting = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED));
                RouterUnderTest router = RouterUnderTest.start()) {
            router.installBuyer("a.yaml", "rcp_jolA", BuyerFiles.jsonBuyer("rcp_jolA", accepting.url("/leads")));
            router.installBuyer("b.yaml", "rcp_jolB", BuyerFiles.jsonBuyer("rcp_jolB", "Other", accepting.url("/leads"), 2, false, 1));
            router.awaitCompleted(router.postLead(BuyerFiles.SAMPLE_LEAD));
            String operator = router.newKey("operate");

            HttpResponse<String> read = router.observe(
                    "/observe/jolokia/read/org.apache.camel:context=*,type=routes,name=*/RouteId,ExchangesTotal,ExchangesCompleted", operator);
            assertEquals(200, read.statusCode(), read.body());
            JsonNode routes = RouterUnderTest.read(read.body()).path("value");
            Map<String, Long> exchangesByRoute = new java.util.HashMap<>();
            routes.forEach(route -> exchangesByRoute.put(route.path("RouteId").asText(), route.path("ExchangesTotal").asLong()));
            assertEquals(1L, exchangesByRoute.get("deliver-rcp_jolA"), "routes: " + exchangesByRoute);
            assertEquals(1L, exchangesByRoute.get("deliver-rcp_jolB"), "routes: " + exchangesByRoute);

            assertEquals(401, router.observe("/observe/jolokia/version", null).statusCode(), "no key");
            assertEquals(403, router.observe("/observe/jolokia/version", router.newKey("read")).statusCode(), "a read key");
            assertEquals(401, router.observe("/observe/metrics", null).statusCode(), "no key");
            assertEquals(403, router.observe("/observe/metrics", router.newKey("ingest")).statusCode(), "an ingest key");
            String refused = router.observe("/observe/jolokia/exec/java.lang:type=Memory/gc", operator).body();
            assertTrue(refused.contains("403") || refused.toLowerCase().contains("not allowed"), "the policy refuses what it does not list: " + refused);
        }
    }
}
