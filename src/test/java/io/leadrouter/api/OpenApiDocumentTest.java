package io.leadrouter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.RouterUnderTest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API is Camel's REST DSL: its OpenAPI document is served at {@code GET /openapi.json}
 * and lists every operation, each operation runs as a route whose id a Hawtio user can read, and
 * one that fails answers in the API's error shape.
 */
class OpenApiDocumentTest {

    /** Each operation of the API, as the OpenAPI document names it, and the route that answers it. */
    private static final Map<String, String> OPERATIONS = Map.ofEntries(
            Map.entry("post /leads", "intake-http"),
            Map.entry("get /leads/{leadId}/events", "api-lead-events"),
            Map.entry("get /leads/{leadId}/attempts", "api-lead-attempts"),
            Map.entry("get /dead-letters", "api-dead-letters"),
            Map.entry("post /dead-letters/{id}/replay", "api-dead-letter-replay"),
            Map.entry("get /buyers", "api-buyers"),
            Map.entry("post /buyers/{id}/pause", "api-buyer-pause"),
            Map.entry("post /buyers/{id}/resume", "api-buyer-resume"),
            Map.entry("post /buyers/{id}/suppressions", "api-buyer-suppressions"),
            Map.entry("get /api-keys", "api-keys-list"),
            Map.entry("post /api-keys", "api-keys-create"),
            Map.entry("delete /api-keys/{id}", "api-keys-revoke"),
            Map.entry("get /audit-log", "api-audit-log"),
            Map.entry("get /audit/verify", "api-audit-verify"),
            Map.entry("get /leads/{leadId}/compliance", "api-lead-compliance"),
            Map.entry("get /alerts", "api-alerts"),
            Map.entry("post /leads/{leadId}/feedback", "api-lead-feedback"),
            Map.entry("get /analytics/delivery", "api-analytics-delivery"),
            Map.entry("get /analytics/failures", "api-analytics-failures"),
            Map.entry("get /analytics/response-times", "api-analytics-response-times"),
            Map.entry("get /analytics/revenue", "api-analytics-revenue"),
            Map.entry("get /analytics/buyer-scores", "api-analytics-buyer-scores"),
            Map.entry("get /analytics/retries", "api-analytics-retries"),
            Map.entry("get /events", "api-events"),
            Map.entry("get /leads/{leadId}", "api-lead"),
            Map.entry("get /exports/events", "api-export-events"));

    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        router = RouterUnderTest.start();
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void theOpenApiDocumentListsEveryOperation() {
        HttpResponse<String> response = router.get("/openapi.json");

        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        JsonNode document = RouterUnderTest.read(response.body());
        assertTrue(document.path("openapi").asText().startsWith("3."), response.body());
        assertEquals("Lead Router", document.path("info").path("title").asText(), response.body());
        OPERATIONS.forEach((operation, routeId) -> {
            String[] methodAndPath = operation.split(" ", 2);
            JsonNode described = document.path("paths").path(methodAndPath[1]).path(methodAndPath[0]);
            assertTrue(described.isObject(), operation + " missing from " + response.body());
            assertEquals(routeId, described.path("operationId").asText(), operation + ": " + described);
        });
        assertEquals(OPERATIONS.size(), countOperations(document), response.body());
    }

    @Test
    void eachOperationIsARouteWithItsOwnId() {
        OPERATIONS.forEach((operation, routeId) -> {
            Route route = router.context().getRoute(routeId);
            assertNotNull(route, "no route " + routeId + " for " + operation);
            String from = route.getEndpoint().getEndpointUri();
            assertTrue(from.startsWith("rest:") && from.contains("consumerComponentName=platform-http"),
                    routeId + " starts from " + from);
        });
    }

    @Test
    void anOperationThatFailsAnswersInTheErrorShape() throws Exception {
        try (Connection db = router.connect(); Statement sql = db.createStatement()) {
            sql.execute("alter table dead_letters rename to dead_letters_away");
            try {
                HttpResponse<String> response = router.get("/dead-letters");

                assertEquals(503, response.statusCode(), response.body());
                assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
                JsonNode body = RouterUnderTest.read(response.body());
                assertEquals(503, body.path("status").asInt(), response.body());
                assertTrue(body.path("error").asText().startsWith("the router could not answer"), response.body());
            } finally {
                sql.execute("alter table dead_letters_away rename to dead_letters");
            }
        }
    }

    private static int countOperations(JsonNode document) {
        int operations = 0;
        for (JsonNode path : document.path("paths")) {
            operations += path.size();
        }
        return operations;
    }
}
