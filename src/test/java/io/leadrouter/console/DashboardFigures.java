package io.leadrouter.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The dashboard's figures as the page shows them (each {@code data-value}, the ranges its cards say
 * they cover, the failures it lists), and the same figures asked of the API: what differs.
 */
final class DashboardFigures {

    /** Reads the page in one go, so a refresh cannot come between two figures. */
    static final String READ_SCRIPT = """
            const figures = {};
            for (const el of document.querySelectorAll('[data-card] [data-figure]')) figures[el.dataset.figure] = el.dataset.value;
            const ranges = {};
            for (const card of document.querySelectorAll('[data-card]')) {
              ranges[card.dataset.card] = 'from=' + (card.dataset.rangeFrom || '') + '&to=' + (card.dataset.rangeTo || '');
            }
            const failures = [...document.querySelectorAll('[data-card=failures] li[data-event-id]')].map(li => li.dataset.eventId);
            return {figures, ranges, failures};
            """;

    /** The figures the dashboard shows, each compared below. */
    private static final List<String> NAMES = List.of("delivery_rate", "offers", "delivered", "failures", "response_mean_ms",
            "response_p50_ms", "response_p95_ms", "response_p99_ms", "bucket_fast", "bucket_normal", "bucket_slow", "bucket_very_slow",
            "revenue_today", "delivered_today", "net_revenue_today", "open_alerts", "held_leads", "active_deliveries");

    private DashboardFigures() {
    }

    /** Each figure that is not what the API answers now, as "name: shown x, API y". */
    @SuppressWarnings("unchecked")
    static List<String> differences(Map<String, Object> shown, Function<String, JsonNode> api) {
        Map<String, Object> figures = (Map<String, Object>) shown.get("figures");
        Map<String, Object> ranges = (Map<String, Object>) shown.get("ranges");
        List<String> differences = new ArrayList<>();
        if (figures == null || !figures.keySet().containsAll(NAMES)) {
            return List.of("not every figure is shown yet: " + figures);
        }
        Check check = new Check(figures, differences);

        JsonNode delivery = api.apply("/analytics/delivery?" + ranges.get("delivery"));
        check.same("delivery_rate", delivery.path("delivery_rate"));
        check.same("offers", delivery.path("offers"));
        check.same("delivered", delivery.path("delivered"));

        check.same("failures", api.apply("/analytics/failures?" + ranges.get("failures")).path("failures"));
        List<String> latest = new ArrayList<>();
        api.apply("/events?event_type=recipient.failed&order=newest&limit=8").path("events").forEach(e -> latest.add(e.path("event_id").asText()));
        if (!latest.equals(shown.get("failures"))) {
            differences.add("recent failures: shown " + shown.get("failures") + ", API " + latest);
        }

        JsonNode responses = api.apply("/analytics/response-times?" + ranges.get("responses"));
        check.same("response_mean_ms", responses.path("mean_ms"));
        for (String percentile : List.of("p50", "p95", "p99")) {
            check.same("response_" + percentile + "_ms", responses.path(percentile + "_ms"));
        }
        for (String bucket : List.of("fast", "normal", "slow", "very_slow")) {
            check.same("bucket_" + bucket, responses.path("buckets").path(bucket));
        }

        JsonNode revenue = api.apply("/analytics/revenue?" + ranges.get("revenue"));
        check.same("revenue_today", revenue.path("revenue"));
        check.same("delivered_today", revenue.path("delivered"));
        check.same("net_revenue_today", revenue.path("net_revenue"));

        int open = 0;
        for (JsonNode alert : api.apply("/alerts").path("alerts")) {
            open += alert.path("status").asText().equals("open") ? 1 : 0;
        }
        check.same("open_alerts", open);

        long held = 0;
        for (JsonNode buyer : api.apply("/buyers").path("buyers")) {
            held += buyer.path("circuit").path("held_leads").asLong();
        }
        check.same("held_leads", held);

        String since = URLEncoder.encode(Instant.now().minus(15, ChronoUnit.MINUTES).toString(), StandardCharsets.UTF_8);
        check.same("active_deliveries", activeDeliveries(api.apply("/events?order=newest&limit=1000&from=" + since).path("events")));
        return differences;
    }

    /**
     * Offers under way, as the spec's "active deliveries": a (lead, buyer) whose latest event is an
     * attempt not yet answered, or a failure that a retry follows.
     */
    static int activeDeliveries(JsonNode newestFirst) {
        Set<String> seen = new HashSet<>();
        int active = 0;
        for (JsonNode event : newestFirst) {
            String type = event.path("event_type").asText();
            if (type.equals("recipient.feedback") || !seen.add(event.path("lead_id").asText() + " " + event.path("recipient").path("id").asText())) {
                continue;
            }
            boolean retried = type.equals("recipient.failed") && !event.path("metadata").path("final").asBoolean(true);
            active += type.equals("recipient.delivery_attempt") || retried ? 1 : 0;
        }
        return active;
    }

    /** Compares shown figures (their data-value text) with the API's numbers. */
    private record Check(Map<String, Object> figures, List<String> differences) {
        void same(String name, JsonNode expected) {
            Object shown = figures.get(name);
            boolean equal = expected.isNull() || expected.isMissingNode()
                    ? "".equals(shown)
                    : shown instanceof String text && !text.isEmpty() && Double.parseDouble(text) == expected.asDouble();
            if (!equal) {
                differences.add(name + ": shown " + shown + ", API " + expected);
            }
        }

        void same(String name, long expected) {
            same(name, com.fasterxml.jackson.databind.node.LongNode.valueOf(expected));
        }
    }
}
