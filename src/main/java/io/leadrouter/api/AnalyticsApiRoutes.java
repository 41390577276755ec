package io.leadrouter.api;

import io.leadrouter.support.Quoted;
import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.analytics.AnalyticsQueries;
import io.leadrouter.analytics.AnalyticsRange;
import io.leadrouter.analytics.AnalyticsSettings;
import io.leadrouter.buyers.BuyerCatalog;
import io.leadrouter.security.ApiAccess;
import io.leadrouter.support.JsonResponses;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /analytics/*}: the spec's "Using Recipient Events" and "Advanced Event Analysis" over
 * {@code [from, to)}, from the rollups ({@link AnalyticsQueries}). A parameter that is wrong answers
 * 400 naming it.
 */
public final class AnalyticsApiRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsApiRoutes.class);
    /** Set on an answer whose figures miss events (see analytics_gaps in V9__analytics.sql). */
    public static final String INCOMPLETE = "X-Analytics-Incomplete";
    /** Set on an answer while events wait to be added to the rollups (leadrouter.analytics.rollup-period-ms). */
    public static final String PENDING = "X-Analytics-Pending";

    /** The figures of one endpoint. */
    @FunctionalInterface
    private interface Figures {
        JsonNode of(AnalyticsQueries queries, AnalyticsRange range) throws Exception;
    }

    @Override
    public void configure() {
        var analytics = rest("/analytics").tag("analytics");
        operation(analytics, "delivery", "Offers, deliveries and delivery rate, by buyer and by period (business hours, after hours, weekends)",
                AnalyticsQueries::delivery);
        operation(analytics, "failures", "Failed attempts by category, reason, buyer, hour of day and weekday, and the spikes",
                AnalyticsQueries::failures);
        operation(analytics, "response-times", "Response times: count, mean, p50/p95/p99 (within 5 %), the spec's buckets, by buyer",
                AnalyticsQueries::responseTimes);
        operation(analytics, "revenue", "Attempts, deliveries, revenue, returns and net revenue, by buyer and by day",
                AnalyticsQueries::revenue);
        operation(analytics, "buyer-scores", "Each buyer's score (0-100) and its parts, best first", AnalyticsQueries::buyerScores);
        operation(analytics, "retries", "Deliveries by attempt number, and per failure reason how often a retry recovered",
                AnalyticsQueries::retries);
    }

    private void operation(org.apache.camel.model.rest.RestDefinition rest, String name, String description, Figures figures) {
        rest.get("/" + name).id("api-analytics-" + name).routeId("api-analytics-" + name)
                .description(description + ". Over [from, to), quarter hours; default the last 24 h")
                .security(ApiAccess.SCHEME, "read")
                .param().name("from").type(RestParamType.query).required(false)
                    .description("ISO-8601 instant on a quarter hour, e.g. 2026-12-01T00:00:00Z").endParam()
                .param().name("to").type(RestParamType.query).required(false).description("ISO-8601 instant on a quarter hour").endParam()
                .param().name("recipient_id").type(RestParamType.query).required(false).description("only this buyer").endParam()
                .responseMessage().code(400).message("a parameter is wrong: the message names it").endResponseMessage()
                .to("direct:api-analytics-" + name);
        from("direct:api-analytics-" + name).routeConfigurationId(ApiErrors.ID)
                .process(exchange -> answer(exchange, figures)).id("analytics-" + name);
    }

    private void answer(Exchange exchange, Figures figures) throws Exception {
        AnalyticsQueries queries = lookup(AnalyticsQueries.class, "analyticsQueries");
        AnalyticsRange range;
        try {
            range = AnalyticsRange.parse(header(exchange, "from"), header(exchange, "to"), header(exchange, "recipient_id"),
                    Clock.systemUTC(), Duration.ofDays(lookup(AnalyticsSettings.class, "analyticsSettings").maxRangeDays()));
            String buyer = range.recipientId().orElse(null);
            if (buyer != null && lookup(BuyerCatalog.class, "buyerCatalog").find(buyer).isEmpty() && !queries.knows(buyer)) {
                throw new AnalyticsRange.BadParameter("recipient_id", "no buyer '" + Quoted.shortened(buyer) + "' is configured or has figures");
            }
        } catch (AnalyticsRange.BadParameter e) {
            JsonResponses.error(exchange, 400, e.getMessage());
            return;
        }
        JsonNode answer = figures.of(queries, range);
        JsonResponses.respond(exchange, 200, answer);
        // the figures are short of events the rollups could not take: say so, on every answer, until a backfill
        queries.gaps().ifPresent(gaps -> {
            LOG.warn("Analytics rollups are incomplete: {}", gaps);
            exchange.getMessage().setHeader(INCOMPLETE, gaps);
        });
        long pending = queries.pending();
        if (pending > 0) {
            exchange.getMessage().setHeader(PENDING, pending + " events written but not yet in these figures (a moment behind)");
        }
    }

    private static String header(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }

    private <T> T lookup(Class<T> type, String name) {
        return getContext().getRegistry().lookupByNameAndType(name, type);
    }
}
