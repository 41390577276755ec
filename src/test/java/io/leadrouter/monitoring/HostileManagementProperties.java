package io.leadrouter.monitoring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.testing.HostileHttp;
import io.leadrouter.testing.RouterUnderTest;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * The management server's paths (health, info, metrics, Jolokia, and paths that are not there)
 * under hostile paths, query strings, bodies and keys: every request answered within bounded time,
 * never with a 5xx, and the router still up after them.
 */
class HostileManagementProperties {

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);
    private static final List<String> PATHS = List.of("/observe/health", "/observe/health/live", "/observe/health/ready",
            "/observe/info", "/observe/metrics", "/observe/jolokia/", "/observe/jolokia/read/", "/observe/jolokia/exec/",
            "/observe/jolokia/list/", "/observe/", "/observe/dev/", "/q/send/", "/");

    private static RouterUnderTest router;
    private static HttpClient http;
    private static String operateKey;

    @BeforeContainer
    static void start() throws Exception {
        router = RouterUnderTest.builder().property("leadrouter.api.max-failed-keys", "1000000").start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        operateKey = router.newKey("operate");
    }

    @AfterContainer
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    @Property(tries = 150, shrinking = ShrinkingMode.BOUNDED)
    void everyManagementPathAnswersHostileRequestsWithoutAFault(@ForAll("paths") String path, @ForAll("hostileText") String tail,
            @ForAll("hostileText") String query, @ForAll("methods") String method, @ForAll("bodies") String body,
            @ForAll("keys") String key) {
        String authorization = key.equals("operate") ? "Bearer " + operateKey : key;
        HttpResponse<String> answer = HostileHttp.send(http, method, router.managementUrl() + path + HostileHttp.encode(tail, "/:=")
                + "?" + HostileHttp.encode(query, "/:=") + "=" + HostileHttp.encode(query, "/:="), authorization, "", body, ANSWER_WITHIN);

        assertTrue(answer.statusCode() < 500, method + " " + path + " answered " + answer.statusCode() + ": " + answer.body());
        assertTrue(router.observe("/observe/health/live", null).statusCode() == 200, "the router is still alive");
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of(PATHS);
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of("GET", "POST", "PUT", "DELETE", "OPTIONS");
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of("", "operate", "Bearer lr_AAAAAAAAAA_x", "Basic YWRtaW46YWRtaW4=", "Bearer " + "x".repeat(6000));
    }

    @Provide
    Arbitrary<String> hostileText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMinLength(0).ofMaxLength(40),
                Arbitraries.of("", "..", "../../etc/passwd", "%00", "java.lang:type=Memory/gc", "org.apache.camel:*",
                        "com.sun.management:type=DiagnosticCommand/vmSystemProperties", "${jndi:ldap://x/a}",
                        "\u0000", "\uD800", "x".repeat(10_000), "*:*", "java.lang:type=Runtime/SystemProperties"));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.of("{}", "[]", "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}",
                        "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}",
                        "{\"type\":\"read\",\"mbean\":\"*:*\"}", "[".repeat(5000), "{\"type\":\"list\",\"path\":\"" + "a/".repeat(2000) + "\"}"));
    }
}
