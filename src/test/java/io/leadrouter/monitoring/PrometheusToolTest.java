package io.leadrouter.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.PrometheusText;
import io.leadrouter.testing.Promtool;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Prometheus' own tool on what the repository ships: the alert rules, their unit tests, and a real scrape. */
class PrometheusToolTest {

    @Test
    void theAlertRulesAreValidAndFireWhereTheirUnitTestsSay() throws Exception {
        Promtool.require();
        Promtool.Run checked = Promtool.run(null, "check", "rules", "ops/prometheus/alerts.yml");
        assertEquals(0, checked.exitCode(), checked.output());
        assertTrue(checked.output().contains("SUCCESS: 6 rules found"), checked.output());
        Promtool.Run tested = Promtool.run(null, "test", "rules", "ops/prometheus/alerts-test.yml");
        assertEquals(0, tested.exitCode(), tested.output());
    }

    @Test
    void aRealScrapeOfTheRouterPassesPromtoolsMetricsCheck() throws Exception {
        Promtool.require();
        try (StubBuyer buyer = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED));
                StubBuyer refusing = StubBuyer.answering(Reply.json(200, "{\"result\":\"rejected\",\"message\":\"daily cap reached\"}"));
                RouterUnderTest router = RouterUnderTest.start()) {
            // one buyer refuses first (a final failure), the other takes the lead: every series the rules use exists
            router.installBuyer("r.yaml", "rcp_promRefuse", BuyerFiles.jsonBuyer("rcp_promRefuse", "Refusing", refusing.url("/leads"), 1, false, 1));
            router.installBuyer("b.yaml", "rcp_promtool", BuyerFiles.jsonBuyer("rcp_promtool", "Taking", buyer.url("/leads"), 2, false, 1));
            router.awaitCompleted(router.postLead(BuyerFiles.SAMPLE_LEAD));
            HttpResponse<String> scraped = router.observe("/observe/metrics", router.newKey("read"));
            assertEquals(200, scraped.statusCode());
            assertTrue(scraped.body().contains("leadrouter_deliveries_total{"), "the router's metrics are in the scrape");
            // the router's own families pass promtool's lint whole; Camel's and Micrometer's have findings of
            // their own (camelCase label routeId, a few without help text), none of them about the router's
            String ours = scraped.body().lines().filter(line -> line.matches("(# (HELP|TYPE) )?leadrouter_.*"))
                    .collect(Collectors.joining("\n", "", "\n"));
            Promtool.Run checked = Promtool.run(ours, "check", "metrics");
            assertEquals(0, checked.exitCode(), "promtool check metrics: " + checked.output());
            Promtool.Run whole = Promtool.run(scraped.body(), "check", "metrics");
            assertTrue(whole.output().lines().noneMatch(line -> line.contains("leadrouter_")), whole.output());

            PrometheusText served = new PrometheusText(scraped.body());
            for (String rules : List.of("ops/prometheus/alerts.yml", "ops/grafana/lead-router.json")) {
                Matcher metric = Pattern.compile("\\b(leadrouter_[a-z_]+)").matcher(Files.readString(Path.of(rules)));
                while (metric.find()) {
                    assertTrue(served.has(metric.group(1)), rules + " uses " + metric.group(1) + ", which the router does not serve");
                }
            }
        }
    }

    @Test
    void everyQueryOfTheGrafanaDashboardIsValidPromQl() throws Exception {
        Promtool.require();
        JsonNode dashboard = RouterUnderTest.read(Files.readString(Path.of("ops/grafana/lead-router.json")));
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int n = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                // Grafana's variables, as Grafana fills them in
                String expr = target.path("expr").asText().replace("$__rate_interval", "5m").replace("$__range", "1h").replace("$buyer", ".*");
                rules.append("      - record: dashboard_query_").append(++n).append("\n        expr: '").append(expr.replace("'", "''")).append("'\n");
            }
        }
        assertTrue(n >= 6, "the dashboard's queries: " + n);
        Path file = Files.createTempFile("dashboard-queries", ".yml");
        Files.writeString(file, rules);
        Promtool.Run checked = Promtool.run(null, "check", "rules", file.toString());
        assertEquals(0, checked.exitCode(), checked.output() + "\n" + rules);
    }
}
