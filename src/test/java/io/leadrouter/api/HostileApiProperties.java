package io.leadrouter.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.HostileHttp;
import io.leadrouter.testing.RouterUnderTest;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every API operation, as the OpenAPI document lists them (so a new endpoint is covered the day it
 * is added), under hostile path parameters, query strings, bodies, content types and keys: the
 * router answers each within bounded time, never 5xx, every refusal in the JSON error shape, and
 * stores nothing for what it refused. ({@code POST /leads} has its own, deeper properties in
 * {@code HostileIntakeProperties}; here it gets the same treatment as the others.)
 */
class HostileApiProperties {

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);

    /** An operation of the OpenAPI document: its method and path template. */
    record Operation(String method, String path, String id) {
        @Override
        public String toString() {
            return method + " " + path + " (" + id + ")";
        }
    }

    private static RouterUnderTest router;
    private static HttpClient http;
    private static List<Operation> operations;

    @BeforeContainer
    static void start() throws Exception {
        // many bad keys come from this one address: the throttle (tested on its own) would answer 429 to them
        router = RouterUnderTest.builder().property("leadrouter.api.max-failed-keys", "1000000").start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode document = RouterUnderTest.read(router.get("/openapi.json").body());
        operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation ->
                operations.add(new Operation(operation.getKey().toUpperCase(java.util.Locale.ROOT), path.getKey(),
                        operation.getValue().path("operationId").asText()))));
        assertTrue(operations.size() >= 8, "the document lists the API's operations: " + operations);
    }

    @AfterContainer
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED)
    void everyOperationAnswersHostileRequestsWithoutAFaultAndStoresNothingItRefused(
            @ForAll("operations") Operation operation, @ForAll("hostileText") String parameter,
            @ForAll("hostileText") String query, @ForAll("bodies") String body, @ForAll("contentTypes") String contentType) {
        long keysBefore = router.count("select count(*) from api_keys");
        long leadsBefore = router.count("select count(*) from leads");

        HttpResponse<String> answer = send(operation.method(), operation.path().replaceAll("\\{[^}]+}", HostileHttp.encode(parameter, ""))
                + "?" + HostileHttp.encode(query, "") + "=" + HostileHttp.encode(query, ""), "Bearer " + router.adminKey(), contentType, body);

        assertTrue(answer.statusCode() < 500, operation + " answered " + answer.statusCode() + ": " + answer.body());
        if (answer.statusCode() >= 400) {
            assertJsonError(answer);
        }
        assertEquals(keysBefore + (answer.statusCode() == 201 && operation.id().equals("api-keys-create") ? 1 : 0),
                router.count("select count(*) from api_keys"), "keys stored only for a 201");
        assertEquals(leadsBefore + (answer.statusCode() == 202 && operation.id().equals("intake-http") ? 1 : 0),
                router.count("select count(*) from leads"), "leads stored only for a 202");
    }

    @Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
    void aHostileKeyIsRefusedWith401AtEveryOperation(@ForAll("operations") Operation operation, @ForAll("hostileKeys") String key) {
        HttpResponse<String> answer = send(operation.method(), operation.path().replaceAll("\\{[^}]+}", "x"), key,
                "application/json", "{}");

        assertEquals(401, answer.statusCode(), operation + " with key " + key + ": " + answer.body());
        assertJsonError(answer);
    }

    @Provide
    Arbitrary<Operation> operations() {
        return Arbitraries.of(operations);
    }

    @Provide
    Arbitrary<String> hostileText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMinLength(0).ofMaxLength(40),
                Arbitraries.strings().withChars("./\\%?#&=;:@!$'()*+,[]{}<>|\"`^~ ").ofMaxLength(30),
                Arbitraries.of("..", "../../etc/passwd", "%00", "%2e%2e%2f", "' or 1=1 --", "\"; drop table leads; --",
                        "${jndi:ldap://x/a}", "{{env:HOME}}", "<script>alert(1)</script>", "lead_" + "A".repeat(5000),
                        "\u0000", "\uD800", "\uFEFF", "9".repeat(400), "-1", "0", "9223372036854775808", "NaN", "null",
                        "key_", "rcp_x", "x".repeat(10_000)));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.of("{}", "[]", "null", "{\"role\":\"admin\"", "{\"role\":[\"admin\"]}", "{\"role\":\"admin\",\"role\":\"ingest\"}",
                        "{\"role\":\"buyer\",\"recipient_id\":\"" + "r".repeat(300) + "\"}", "{\"role\":\"read\",\"name\":{\"$gt\":\"\"}}",
                        "[".repeat(5000), "{\"a\":" .repeat(2000) + "1" + "}".repeat(2000), "\"" + "\\u0000".repeat(100) + "\"",
                        "{\"role\":\"read\",\"name\":\"" + "n".repeat(300_000) + "\"}"));
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16",
                "multipart/form-data; boundary=x", "", "*/*", "application/json;;;;", "a".repeat(300));
    }

    @Provide
    Arbitrary<String> hostileKeys() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(120),
                Arbitraries.strings().alpha().numeric().ofLength(43).map(secret -> "Bearer lr_AAAAAAAAAA_" + secret),
                Arbitraries.of("", "Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "Bearer lr_", "Bearer " + "x".repeat(6000),
                        "Bearer lr_%00_x", "bearer null", "Bearer ${jndi:ldap://x/a}", "Bearer ' or 1=1 --"));
    }

    private static HttpResponse<String> send(String method, String pathAndQuery, String authorization, String contentType, String body) {
        return HostileHttp.send(http, method, router.baseUrl() + pathAndQuery, authorization, contentType, body, ANSWER_WITHIN);
    }

    private static void assertJsonError(HttpResponse<String> answer) {
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), answer.headers().toString());
        JsonNode error = RouterUnderTest.read(answer.body());
        assertEquals(answer.statusCode(), error.path("status").asInt(), answer.body());
        assertTrue(error.path("error").isTextual() && !error.path("error").asText().isBlank(), answer.body());
    }
}
