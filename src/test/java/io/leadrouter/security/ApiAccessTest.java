package io.leadrouter.security;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static io.leadrouter.testing.JsonErrors.assertJsonError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every API operation against a running router, with no key, a key of each role, and keys made,
 * revoked and refused: the policy below is the issue's, written independently of the code, and the
 * OpenAPI document must list exactly these operations (a new one fails this test until its roles
 * are decided here).
 */
class ApiAccessTest {

    /** The roles whose keys may call each operation (admin keys may call every one). */
    private static final Map<String, Set<Role>> POLICY = Map.ofEntries(
            Map.entry("intake-http", EnumSet.of(Role.INGEST, Role.ADMIN)),
            Map.entry("api-lead-events", EnumSet.of(Role.READ, Role.OPERATE, Role.BUYER, Role.ADMIN)),
            Map.entry("api-lead-attempts", EnumSet.of(Role.READ, Role.OPERATE, Role.BUYER, Role.ADMIN)),
            Map.entry("api-dead-letters", EnumSet.of(Role.READ, Role.OPERATE, Role.ADMIN)),
            Map.entry("api-dead-letter-replay", EnumSet.of(Role.OPERATE, Role.ADMIN)),
            Map.entry("api-buyers", EnumSet.of(Role.READ, Role.OPERATE, Role.ADMIN)),
            Map.entry("api-buyer-pause", EnumSet.of(Role.OPERATE, Role.ADMIN)),
            Map.entry("api-buyer-resume", EnumSet.of(Role.OPERATE, Role.ADMIN)),
            Map.entry("api-buyer-suppressions", EnumSet.of(Role.OPERATE, Role.BUYER, Role.ADMIN)),
            Map.entry("api-keys-list", EnumSet.of(Role.ADMIN)),
            Map.entry("api-keys-create", EnumSet.of(Role.ADMIN)),
            Map.entry("api-keys-revoke", EnumSet.of(Role.ADMIN)),
            Map.entry("api-audit-log", EnumSet.of(Role.ADMIN)),
            Map.entry("api-audit-verify", EnumSet.of(Role.ADMIN)),
            Map.entry("api-lead-compliance", EnumSet.of(Role.READ, Role.OPERATE, Role.BUYER, Role.ADMIN)),
            Map.entry("api-alerts", EnumSet.of(Role.READ, Role.OPERATE, Role.ADMIN)),
            Map.entry("api-lead-feedback", EnumSet.of(Role.OPERATE, Role.BUYER, Role.ADMIN)),
            Map.entry("api-analytics-delivery", EnumSet.of(Role.READ, Role.OPERATE, Role.ADMIN)),
            Map.entry("api-analytics-failures", EnumSet.of(Role.READ, Role.OPERATE, Role.ADMIN)),
            Map.entry("api-analytics-response-times", EnumSet.of(Role.READ, Role.OPERATE, Role.ADMIN)),
            Map.entry("api-analytics-revenue", EnumSet.of(Role.READ, Role.OPERATE, Role.ADMIN)),
            Map.entry("api-analytics-buyer-scores", EnumSet.of(Role.READ, Role.OPERATE, Role.ADMIN)),
            Map.entry("api-analytics-retries", EnumSet.of(Role.READ, Role.OPERATE, Role.ADMIN)),
            Map.entry("api-events", EnumSet.of(Role.READ, Role.OPERATE, Role.BUYER, Role.ADMIN)),
            Map.entry("api-lead", EnumSet.of(Role.READ, Role.OPERATE, Role.ADMIN)),
            Map.entry("api-export-events", EnumSet.of(Role.READ, Role.OPERATE, Role.BUYER, Role.ADMIN)));

    private static final String BUYER_A = "rcp_accessA";
    private static final String BUYER_B = "rcp_accessB";

    private static StubBuyer buyer;
    private static RouterUnderTest router;
    private static String leadId;
    private static final Map<Role, String> KEYS = new EnumMap<>(Role.class);

    @BeforeAll
    static void start() throws Exception {
        buyer = StubBuyer.answering(Reply.json(200, ACCEPTED));
        // every operation is tried without a key and with a wrong one: more failures than the default throttle allows one address
        router = RouterUnderTest.builder().property("leadrouter.api.max-failed-keys", "200").start();
        router.writeBuyer("a.yaml", BuyerFiles.jsonBuyer(BUYER_A, buyer.url("/a")));
        router.writeBuyer("b.yaml", BuyerFiles.jsonBuyer(BUYER_B, buyer.url("/b")));
        router.awaitBuyer(BUYER_A);
        router.awaitBuyer(BUYER_B);
        leadId = router.postLead(SAMPLE_LEAD);
        router.awaitOutcomes(leadId, 2);
        for (Role role : Role.values()) {
            KEYS.put(role, makeKey(role, role == Role.BUYER ? BUYER_A : null));
        }
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
        if (buyer != null) {
            buyer.close();
        }
    }

    @Test
    void theOpenApiDocumentListsEveryOperationWithTheRolesOpenToIt() {
        JsonNode document = RouterUnderTest.read(router.get("/openapi.json").body());
        Map<String, Set<Role>> documented = new HashMap<>();
        document.path("paths").forEach(path -> path.forEach(operation -> {
            Set<Role> roles = EnumSet.of(Role.ADMIN);
            operation.path("security").forEach(requirement ->
                    requirement.path(ApiAccess.SCHEME).forEach(scope -> roles.addAll(grantedBy(Role.of(scope.asText())))));
            documented.put(operation.path("operationId").asText(), roles);
        }));

        assertEquals(new TreeSet<>(POLICY.keySet()), new TreeSet<>(documented.keySet()));
        assertEquals(POLICY, documented);
        assertEquals("X-Api-Key", document.path("components").path("securitySchemes").path(ApiAccess.SCHEME).path("name").asText(),
                document.path("components").toString());
    }

    @Test
    void everyOperationRefusesNoKeyAndTheWrongRolesAndServesTheRightOnes() {
        for (Map.Entry<String, Set<Role>> operation : POLICY.entrySet()) {
            HttpResponse<String> anonymous = call(operation.getKey(), null);
            assertJsonError(anonymous, 401, "an API key in force is required: 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'");
            assertEquals("Bearer", anonymous.headers().firstValue("WWW-Authenticate").orElse(""), operation.getKey());

            for (Role role : Role.values()) {
                HttpResponse<String> answer = call(operation.getKey(), KEYS.get(role));
                if (operation.getValue().contains(role)) {
                    assertFalse(answer.statusCode() == 401 || answer.statusCode() == 403,
                            operation.getKey() + " with a " + role.id() + " key: " + answer.statusCode() + " " + answer.body());
                } else {
                    assertEquals(403, answer.statusCode(), operation.getKey() + " with a " + role.id() + " key: " + answer.body());
                    JsonNode error = RouterUnderTest.read(answer.body());
                    assertEquals(403, error.path("status").asInt(), answer.body());
                    assertTrue(error.path("error").asText().startsWith("a key with role " + role.id() + " may not call " + operation.getKey()),
                            answer.body());
                }
            }
        }
    }

    @Test
    void aKeyIsTakenFromEitherHeaderAndAnythingElseIsRefusedAlike() {
        String read = KEYS.get(Role.READ);
        assertEquals(200, send(HttpRequest.newBuilder(uri("/buyers")).header("X-Api-Key", read)).statusCode());
        assertEquals(200, send(HttpRequest.newBuilder(uri("/buyers")).header("Authorization", "bearer " + read)).statusCode());
        // HTTP Basic with the key as password, any user name (Hawtio's Connect page, curl -u)
        assertEquals(200, send(HttpRequest.newBuilder(uri("/buyers")).header("Authorization", "Basic " + basic("operator", read))).statusCode());

        String unknown = ApiKeySecrets.newKey();
        for (HttpRequest.Builder refused : new HttpRequest.Builder[] {
                HttpRequest.newBuilder(uri("/buyers")).header("Authorization", "Bearer " + unknown),
                HttpRequest.newBuilder(uri("/buyers")).header("X-Api-Key", read.substring(0, read.length() - 1)),
                HttpRequest.newBuilder(uri("/buyers")).header("Authorization", "Basic " + read),
                HttpRequest.newBuilder(uri("/buyers")).header("Authorization", "Basic " + basic(read, "")),
                HttpRequest.newBuilder(uri("/buyers")).header("Authorization", "Basic " + basic("operator", unknown)),
                HttpRequest.newBuilder(uri("/buyers")).header("Authorization", "Bearer "),
                HttpRequest.newBuilder(uri("/openapi.json")),
                HttpRequest.newBuilder(uri("/no/such/path"))}) {
            assertJsonError(send(refused), 401, "an API key in force is required: 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'");
        }
        assertEquals(404, send(HttpRequest.newBuilder(uri("/no/such/path")).header("X-Api-Key", read)).statusCode(),
                "with a key, an unknown path is what it is");
    }

    /**
     * The console's files (its page, scripts, styles, uPlot) are the only paths served without a key:
     * they hold no data. Nothing else becomes open through them: not a path that only looks like
     * theirs, not one that climbs out of /console/, not a method other than GET.
     */
    @Test
    void theConsolesFilesAloneAreServedWithoutAKey() {
        for (String file : new String[] {"/console/", "/console/app.js", "/console/console.css", "/console/favicon.svg",
                "/console/pages/dashboard.js", "/console/vendor/uplot/uPlot.esm.js", "/console/vendor/uplot/uPlot.min.css"}) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(file)));
            assertEquals(200, answer.statusCode(), file + ": " + answer.body());
            assertTrue(answer.headers().firstValue("Content-Type").orElse("").endsWith("; charset=utf-8"), file + " " + answer.headers());
            assertEquals("default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
                    answer.headers().firstValue("Content-Security-Policy").orElse(""), file);
            assertEquals("no-cache", answer.headers().firstValue("Cache-Control").orElse(""), file);
            assertEquals("nosniff", answer.headers().firstValue("X-Content-Type-Options").orElse(""), file);
            String etag = answer.headers().firstValue("ETag").orElseThrow();
            assertEquals(304, send(HttpRequest.newBuilder(uri(file)).header("If-None-Match", etag)).statusCode(), file + " unchanged");
        }
        HttpResponse<String> folder = send(HttpRequest.newBuilder(uri("/console")));
        assertEquals(308, folder.statusCode());
        assertEquals("/console/", folder.headers().firstValue("Location").orElse(""));
        assertJsonError(send(HttpRequest.newBuilder(uri("/console/no-such-page.js"))), 404, "no such resource: GET /console/no-such-page.js");
        assertJsonError(send(HttpRequest.newBuilder(uri("/console/application.properties"))), 404,
                "no such resource: GET /console/application.properties");

        String keyNeeded = "an API key in force is required: 'Authorization: Bearer <key>' or 'X-Api-Key: <key>'";
        for (String beside : new String[] {"/consoles", "/console/%2e%2e/buyers", "/console/./../dead-letters", "/console/..%2fbuyers"}) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(router.baseUrl() + beside)));
            assertFalse(answer.statusCode() == 200, beside + ": " + answer.body());
            assertFalse(answer.body().contains("\"buyers\"") || answer.body().contains("lead_id"), beside + " leaks: " + answer.body());
        }
        assertJsonError(send(HttpRequest.newBuilder(URI.create(router.baseUrl() + "/console/../buyers"))), 401, keyNeeded);
        assertEquals(405, send(HttpRequest.newBuilder(uri("/console/")).POST(HttpRequest.BodyPublishers.ofString("{}"))).statusCode());
    }

    @Test
    void aKeyIsShownOnceStoredOnlyAsItsHashListedAndRevokedAtOnce() {
        HttpResponse<String> made = router.post("/api-keys", "application/json", "{\"role\":\"read\",\"name\":\"dashboard\"}");
        assertEquals(201, made.statusCode(), made.body());
        JsonNode key = RouterUnderTest.read(made.body());
        String secret = key.path("key").asText();
        String id = key.path("id").asText();
        assertEquals("key_" + ApiKeySecrets.prefixOf(secret).orElseThrow(), id);
        assertEquals("read", key.path("role").asText());
        assertEquals("dashboard", key.path("name").asText());

        assertEquals(200, router.call("GET", "/buyers", secret, null, null).statusCode());
        HttpResponse<String> listed = router.get("/api-keys");
        assertFalse(listed.body().contains(secret), "the list never shows a key");
        JsonNode entry = entry(RouterUnderTest.read(listed.body()), id);
        assertEquals(key.path("prefix").asText(), entry.path("prefix").asText());
        assertTrue(entry.path("revoked_at").isNull(), entry.toString());
        assertEquals(0, router.count("select count(*) from api_keys where position('" + secret + "' in api_keys::text) > 0"),
                "the table holds no key in clear");
        assertEquals(1, router.count("select count(*) from api_keys where id = '" + id
                + "' and key_sha256 = sha256(convert_to('" + secret + "', 'UTF8'))"));
        Awaitility.await("last use recorded").atMost(Duration.ofSeconds(20)).until(() ->
                !entry(RouterUnderTest.read(router.get("/api-keys").body()), id).path("last_used_at").isNull());

        HttpResponse<String> revoked = router.call("DELETE", "/api-keys/" + id, router.adminKey(), null, null);
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertFalse(RouterUnderTest.read(revoked.body()).path("revoked_at").isNull(), revoked.body());
        assertEquals(401, router.call("GET", "/buyers", secret, null, null).statusCode(), "refused from the next request on");
        assertJsonError(router.call("DELETE", "/api-keys/" + id, router.adminKey(), null, null), 404, "no key in force with id " + id);
    }

    @Test
    void aKeyRevokedOnOneInstanceIsRefusedByAnotherAtOnce() throws Exception {
        try (RouterUnderTest other = RouterUnderTest.builder().sameStorageAs(router).start()) {
            String secret = RouterUnderTest.read(router.post("/api-keys", "application/json", "{\"role\":\"read\"}").body())
                    .path("key").asText();
            Awaitility.await("the other instance hears of the new key").atMost(Duration.ofSeconds(5))
                    .until(() -> other.call("GET", "/buyers", secret, null, null).statusCode() == 200);

            String id = "key_" + ApiKeySecrets.prefixOf(secret).orElseThrow();
            assertEquals(200, router.call("DELETE", "/api-keys/" + id, router.adminKey(), null, null).statusCode());
            long revokedAt = System.nanoTime();
            Awaitility.await("the other instance refuses the revoked key").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                    .until(() -> other.call("GET", "/buyers", secret, null, null).statusCode() == 401);
            System.out.printf("revoked key refused by the other instance after %.1f ms%n", (System.nanoTime() - revokedAt) / 1e6);
        }
    }

    @Test
    void aBuyerKeySeesItsOwnBuyersEventsOfALeadAndNothingElse() {
        HttpResponse<String> own = router.call("GET", "/leads/" + leadId + "/events", KEYS.get(Role.BUYER), null, null);
        assertEquals(200, own.statusCode(), own.body());
        JsonNode events = RouterUnderTest.read(own.body());
        assertTrue(events.size() >= 2, own.body());
        events.forEach(event -> assertEquals(BUYER_A, event.path("recipient").path("id").asText(), event.toString()));
        assertTrue(RouterUnderTest.read(router.get("/leads/" + leadId + "/events").body()).size() > events.size(),
                "a read key sees the other buyer's events too");

        String otherBuyersKey = makeKey(Role.BUYER, "rcp_neverOffered");
        assertJsonError(router.call("GET", "/leads/" + leadId + "/events", otherBuyersKey, null, null), 404, "no lead " + leadId);
    }

    @Test
    void keysAreMadeOnlyFromAValidRequest() {
        Map<String, String> refused = Map.of(
                "not json", "the body is not JSON",
                "[]", "the body must be a JSON object with at least \"role\"",
                "{}", "\"role\" must be one of ingest, read, operate, admin, buyer",
                "{\"role\":\"root\"}", "no role 'root': roles are ingest, read, operate, admin, buyer",
                "{\"role\":\"buyer\"}", "a buyer key needs the recipient_id of its buyer",
                "{\"role\":\"read\",\"recipient_id\":\"rcp_x\"}", "recipient_id is only for buyer keys, not read",
                "{\"role\":\"read\",\"name\":7}", "\"name\" must be text of at most 200 characters",
                "{\"role\":\"read\",\"name\":\"a\\u0000b\"}", "\"name\" and \"recipient_id\" must not contain the NUL character",
                "{\"role\":\"buyer\",\"recipient_id\":\"rcp\\u0000\"}", "\"name\" and \"recipient_id\" must not contain the NUL character");
        long before = router.count("select count(*) from api_keys");
        refused.forEach((body, problem) -> {
            HttpResponse<String> answer = router.post("/api-keys", "application/json", body);
            assertEquals(400, answer.statusCode(), body + ": " + answer.body());
            assertTrue(RouterUnderTest.read(answer.body()).path("error").asText().startsWith(problem), body + ": " + answer.body());
        });
        assertEquals(before, router.count("select count(*) from api_keys"), "nothing stored for a refused request");
    }

    private static String makeKey(Role role, String recipientId) {
        String body = recipientId == null ? "{\"role\":\"" + role.id() + "\"}"
                : "{\"role\":\"" + role.id() + "\",\"recipient_id\":\"" + recipientId + "\"}";
        HttpResponse<String> made = router.post("/api-keys", "application/json", body);
        assertEquals(201, made.statusCode(), made.body());
        return RouterUnderTest.read(made.body()).path("key").asText();
    }

    /** One call of the operation, with a harmless request (a lead to post, a key to make, ids that match nothing). */
    private static HttpResponse<String> call(String operation, String key) {
        return switch (operation) {
            case "intake-http" -> router.call("POST", "/leads", key, "application/json", SAMPLE_LEAD);
            case "api-lead-events" -> router.call("GET", "/leads/" + leadId + "/events", key, null, null);
            case "api-lead-attempts" -> router.call("GET", "/leads/" + leadId + "/attempts", key, null, null);
            case "api-dead-letters" -> router.call("GET", "/dead-letters", key, null, null);
            case "api-dead-letter-replay" -> router.call("POST", "/dead-letters/999999/replay", key, null, null);
            case "api-buyers" -> router.call("GET", "/buyers", key, null, null);
            case "api-buyer-pause" -> router.call("POST", "/buyers/rcp_nobody/pause", key, null, null);
            case "api-buyer-resume" -> router.call("POST", "/buyers/rcp_nobody/resume", key, null, null);
            case "api-buyer-suppressions" -> router.call("POST", "/buyers/rcp_nobody/suppressions", key, "application/json",
                    "{\"emails\":[\"nobody@example.com\"]}");
            case "api-keys-list" -> router.call("GET", "/api-keys", key, null, null);
            case "api-keys-create" -> router.call("POST", "/api-keys", key, "application/json", "{\"role\":\"ingest\"}");
            case "api-keys-revoke" -> router.call("DELETE", "/api-keys/key_nothing", key, null, null);
            case "api-audit-log" -> router.call("GET", "/audit-log", key, null, null);
            case "api-audit-verify" -> router.call("GET", "/audit/verify", key, null, null);
            case "api-lead-compliance" -> router.call("GET", "/leads/" + leadId + "/compliance", key, null, null);
            case "api-alerts" -> router.call("GET", "/alerts", key, null, null);
            case "api-lead-feedback" -> router.call("POST", "/leads/" + leadId + "/feedback", key, "application/json",
                    "{\"recipient_id\":\"" + BUYER_A + "\",\"type\":\"conversion\"}");
            case "api-analytics-delivery", "api-analytics-failures", "api-analytics-response-times", "api-analytics-revenue",
                    "api-analytics-buyer-scores", "api-analytics-retries" ->
                router.call("GET", "/analytics/" + operation.substring("api-analytics-".length()), key, null, null);
            case "api-events" -> router.call("GET", "/events?limit=1", key, null, null);
            case "api-lead" -> router.call("GET", "/leads/" + leadId, key, null, null);
            case "api-export-events" -> router.call("GET", "/exports/events?lead_id=" + leadId, key, null, null);
            default -> throw new AssertionError("no request for " + operation);
        };
    }

    private static Set<Role> grantedBy(Role scope) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Role role : Role.values()) {
            if (role.grants(scope)) {
                roles.add(role);
            }
        }
        return roles;
    }

    private static JsonNode entry(JsonNode list, String id) {
        for (JsonNode key : list.path("api_keys")) {
            if (key.path("id").asText().equals(id)) {
                return key;
            }
        }
        throw new AssertionError("no key " + id + " in " + list);
    }

    private static URI uri(String path) {
        return URI.create(router.baseUrl() + path);
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String basic(String user, String password) {
        return java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
