package io.leadrouter.buyers;

import io.leadrouter.model.Buyer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.model.Buyer.AcceptCondition;
import io.leadrouter.model.Buyer.CredentialRef;
import io.leadrouter.model.Buyer.Endpoint;
import io.leadrouter.model.Buyer.FieldMapping;
import io.leadrouter.model.Buyer.PayloadFormat;
import io.leadrouter.model.Buyer.ReasonRule;
import io.leadrouter.model.Buyer.ResponseRules;
import io.leadrouter.model.Buyer.ResponseType;
import io.leadrouter.model.Buyer.RetryPolicy;
import io.leadrouter.model.Buyer.Transform;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuyerFileParserTest {

    /** The contract's example, every field written. */
    private static final String FULL = """
            id: rcp_5L2nK9mR3x8B4Q7p
            name: Premier Insurance Buyer
            type: buyer
            tier: premium
            enabled: true
            integration: generic_http
            endpoint:
              url: https://api.buyer.com/leads
              method: PUT
              connect_timeout_ms: 4000
              timeout_ms: 20000
            format: json
            xml_root: lead
            headers:
              X-Source: leadrouter
              Accept: application/json
            credentials:
              - header: Authorization
                prefix: "Bearer "
                env: PREMIER_API_KEY
              - field: auth.api_key
                env: PREMIER_FIELD_KEY
            mapping:
              - from: first_name
                to: firstName
              - from: phone
                to: phone
                transform: digits_only
              - to: source
                value: leadrouter
              - from: state
                to: state
                transform: upper
                default: CA
            price: 45.00
            exclusive: true
            priority: 1
            retry:
              max_attempts: 5
              initial_delay_ms: 500
              backoff_multiplier: 1.5
              max_delay_ms: 30000
            response:
              type: json
              accepted_status: [200, 201]
              accept_when:
                path: "$.result"
                equals: accepted
              buyer_lead_id: "$.lead_id"
              payout: "$.payout"
              rejection_reason: "$.message"
              reasons:
                - contains: "already purchased"
                  reason: Duplicate Lead
                - contains: "over cap"
                  reason: cap reached
            alerts:
              delivery_rate_below: 0.8
              response_time_above_ms: 3000
              offline_seconds: 120
            circuit_breaker:
              failures_to_open: 3
            """;

    /** Only the required fields. Bad-input tests change one thing in it. */
    private static final String MINIMAL = """
            id: rcp_minimal01
            name: Minimal Buyer
            endpoint:
              url: https://example.com/leads
            mapping:
              - from: email
                to: email
            price: 10
            """;

    @TempDir
    Path tempDir;

    private Path buyersDir;
    private final BuyerFileParser parser = new BuyerFileParser();

    @BeforeEach
    void createBuyersDir() throws IOException {
        buyersDir = Files.createDirectory(tempDir.resolve("buyers"));
    }

    @Test
    void fullFileMapsToEveryBuyerField() throws Exception {
        Path file = write(FULL);

        Buyer buyer = parser.parse(file);

        assertEquals("rcp_5L2nK9mR3x8B4Q7p", buyer.id());
        assertEquals("Premier Insurance Buyer", buyer.name());
        assertEquals("buyer", buyer.type());
        assertEquals("premium", buyer.tier());
        assertTrue(buyer.enabled());
        assertEquals("generic_http", buyer.integration());
        assertEquals(new Endpoint("https://api.buyer.com/leads", "PUT", 4000, 20000), buyer.endpoint());
        assertEquals(PayloadFormat.JSON, buyer.format());
        assertEquals("lead", buyer.xmlRoot());
        assertEquals(List.of("X-Source", "Accept"), List.copyOf(buyer.headers().keySet()), "headers keep the file's order");
        assertEquals(Map.of("X-Source", "leadrouter", "Accept", "application/json"), buyer.headers());
        assertEquals(List.of(
                new CredentialRef("Authorization", null, "PREMIER_API_KEY", "Bearer "),
                new CredentialRef(null, "auth.api_key", "PREMIER_FIELD_KEY", "")), buyer.credentials());
        assertEquals(List.of(
                new FieldMapping("first_name", "firstName", null, null, Transform.NONE),
                new FieldMapping("phone", "phone", null, null, Transform.DIGITS_ONLY),
                new FieldMapping(null, "source", "leadrouter", null, Transform.NONE),
                new FieldMapping("state", "state", null, "CA", Transform.UPPER)), buyer.mapping());
        assertEquals(new BigDecimal("45.00"), buyer.price(), "the price keeps the scale it was written with");
        assertTrue(buyer.exclusive());
        assertEquals(1, buyer.priority());
        assertEquals(new RetryPolicy(5, 500, 1.5, 30000), buyer.retry());
        assertEquals(new ResponseRules(
                ResponseType.JSON,
                List.of(200, 201),
                new AcceptCondition("$.result", "accepted", null),
                "$.lead_id",
                "$.payout",
                "$.message",
                List.of(new ReasonRule("already purchased", "Duplicate Lead"), new ReasonRule("over cap", "Cap Reached"))),
                buyer.response());
        assertEquals(new Buyer.AlertOverrides(0.8, null, 3000L, null, 120L), buyer.alerts());
        assertEquals(new Buyer.CircuitBreaker(3), buyer.circuitBreaker());
        assertEquals(file, buyer.sourceFile());
    }

    @Test
    void minimalFileGetsEveryDefault() throws Exception {
        Buyer buyer = parser.parse(write(MINIMAL));

        assertEquals("buyer", buyer.type());
        assertEquals("standard", buyer.tier());
        assertTrue(buyer.enabled());
        assertEquals("generic_http", buyer.integration());
        assertEquals(new Endpoint("https://example.com/leads", "POST", 5000, 30000), buyer.endpoint());
        assertEquals(PayloadFormat.JSON, buyer.format());
        assertEquals("lead", buyer.xmlRoot());
        assertEquals(Map.of(), buyer.headers());
        assertEquals(List.of(), buyer.credentials());
        assertEquals(List.of(new FieldMapping("email", "email", null, null, Transform.NONE)), buyer.mapping());
        assertEquals(new BigDecimal("10"), buyer.price());
        assertFalse(buyer.exclusive());
        assertEquals(100, buyer.priority());
        assertEquals(new RetryPolicy(3, 1000, 2.0, 60000), buyer.retry());
        assertEquals(new ResponseRules(ResponseType.JSON, List.of(200, 201, 202), null, null, null, null, List.of()), buyer.response());
        assertEquals(Buyer.AlertOverrides.NONE, buyer.alerts(), "the router's thresholds");
        assertEquals(Buyer.CircuitBreaker.DEFAULT, buyer.circuitBreaker(), "the router's failures-to-open");
    }

    @Test
    void responseTypeFollowsXmlFormatWhenNotWritten() throws Exception {
        Buyer buyer = parser.parse(write(MINIMAL + "format: xml\nxml_root: application\n"));

        assertEquals(PayloadFormat.XML, buyer.format());
        assertEquals("application", buyer.xmlRoot());
        assertEquals(ResponseType.XML, buyer.response().type());
    }

    @Test
    void enumsAreReadIgnoringCase() throws Exception {
        String yaml = MINIMAL
                .replace("  url: https://example.com/leads", "  url: https://example.com/leads\n  method: put")
                .replace("    to: email", "    to: email\n    transform: Digits_Only")
                + "format: FORM\nresponse:\n  type: Text\n";

        Buyer buyer = parser.parse(write(yaml));

        assertEquals("PUT", buyer.endpoint().method());
        assertEquals(Transform.DIGITS_ONLY, buyer.mapping().get(0).transform());
        assertEquals(PayloadFormat.FORM, buyer.format());
        assertEquals(ResponseType.TEXT, buyer.response().type());
    }

    @Test
    void fieldWrittenWithoutValueGetsItsDefault() throws Exception {
        Buyer buyer = parser.parse(write(MINIMAL + "tier:\nretry:\n"));

        assertEquals("standard", buyer.tier());
        assertEquals(new RetryPolicy(3, 1000, 2.0, 60000), buyer.retry());
    }

    @Test
    void scalarConstantsKeepTheirJsonType() throws Exception {
        String yaml = MINIMAL.replace("""
                  - from: email
                    to: email
                """, """
                  - to: consent
                    value: true
                  - from: age
                    to: age
                    default: 18
                """);

        Buyer buyer = parser.parse(write(yaml));

        assertEquals(Boolean.TRUE, buyer.mapping().get(0).value());
        assertEquals(java.math.BigInteger.valueOf(18), buyer.mapping().get(1).defaultValue());
    }

    @Test
    void listsAndHeadersCannotBeModified() throws Exception {
        Buyer buyer = parser.parse(write(FULL));

        assertThrows(UnsupportedOperationException.class, () -> buyer.headers().put("X-Other", "x"));
        assertThrows(UnsupportedOperationException.class, () -> buyer.mapping().clear());
        assertThrows(UnsupportedOperationException.class, () -> buyer.response().reasons().clear());
    }

    // ---- one bad input each, exact message ----

    @Test
    void aRouteBuyerNamesItsRouteFileBesideItAndItsFloorDefaultsToThePrice() throws Exception {
        Buyer buyer = parser.parse(write(MINIMAL + "integration: route\nroute:\n  file: acme.camel.yaml\n"));
        assertEquals("route", buyer.integration());
        assertEquals(buyersDir.resolve("acme.camel.yaml").toAbsolutePath(), buyer.route().file());
        assertEquals(0, new java.math.BigDecimal("10").compareTo(buyer.route().floor()));
        Buyer withFloor = parser.parse(write(MINIMAL + "integration: route\nroute:\n  file: acme.camel.yaml\n  floor: 12.50\n"));
        assertEquals(new java.math.BigDecimal("12.50"), withFloor.route().floor());
        assertNull(parser.parse(write(MINIMAL)).route());
    }

    @Test
    void aRouteBuyerWithoutItsRouteFile() {
        assertRefused(MINIMAL + "integration: route\n",
                "buyers/acme.yaml: route: is required with integration: route (route.file names the buyer's route file)");
    }

    @Test
    void aRouteSectionWithoutIntegrationRoute() {
        assertRefused(MINIMAL + "route:\n  file: acme.camel.yaml\n", "buyers/acme.yaml: route: only allowed with integration: route");
    }

    @Test
    void aRouteFileOutsideTheBuyersFolder() {
        assertRefused(MINIMAL + "integration: route\nroute:\n  file: ../acme.camel.yaml\n",
                "buyers/acme.yaml: route.file: must match ^[A-Za-z0-9][A-Za-z0-9._-]*\\.camel\\.yaml$");
    }

    @Test
    void missingId() {
        assertRefused(MINIMAL.replace("id: rcp_minimal01\n", ""),
                "buyers/acme.yaml: id: is required");
    }

    @Test
    void idNotMatchingPattern() {
        assertRefused(MINIMAL.replace("id: rcp_minimal01", "id: buyer-1"),
                "buyers/acme.yaml: id: must match ^rcp_[A-Za-z0-9]{4,32}$");
    }

    @Test
    void emptyName() {
        assertRefused(MINIMAL.replace("name: Minimal Buyer", "name: ''"),
                "buyers/acme.yaml: name: must not be empty");
    }

    @Test
    void urlThatIsNotHttp() {
        assertRefused(MINIMAL.replace("https://example.com/leads", "ftp://example.com/leads"),
                "buyers/acme.yaml: endpoint.url: must match ^(http|https)://.*");
    }

    @Test
    void unknownMethod() {
        assertRefused(MINIMAL.replace("  url: https://example.com/leads", "  url: https://example.com/leads\n  method: GET"),
                "buyers/acme.yaml: endpoint.method: must be one of POST, PUT");
    }

    @Test
    void timeoutAboveMaximum() {
        assertRefused(MINIMAL.replace("  url: https://example.com/leads", "  url: https://example.com/leads\n  timeout_ms: 300001"),
                "buyers/acme.yaml: endpoint.timeout_ms: must be at most 300000");
    }

    @Test
    void unknownFormat() {
        assertRefused(MINIMAL + "format: csv\n",
                "buyers/acme.yaml: format: must be one of json, form, xml");
    }

    @Test
    void negativePrice() {
        assertRefused(MINIMAL.replace("price: 10", "price: -0.01"),
                "buyers/acme.yaml: price: must be at least 0");
    }

    @Test
    void priceWithAHugeExponentIsRefusedWithoutComputingIt() {
        assertRefused(MINIMAL.replace("price: 10", "price: 1e99999999"),
                "buyers/acme.yaml: price: must be at most 1000000");
    }

    @Test
    void priceWithMoreDecimalsThanMoneyHas() {
        assertRefused(MINIMAL.replace("price: 10", "price: 10.00001"),
                "buyers/acme.yaml: price: must have at most 4 decimals");
    }

    @Test
    void priceWrittenAsText() {
        assertRefused(MINIMAL.replace("price: 10", "price: \"10\""),
                "buyers/acme.yaml: price: must be a number");
    }

    @Test
    void priorityThatIsNotAnInteger() {
        assertRefused(MINIMAL + "priority: 1.5\n",
                "buyers/acme.yaml: priority: must be an integer");
    }

    @Test
    void alertThresholdsAndTheCircuitBreakerOutOfRange() {
        assertRefused(MINIMAL + "alerts:\n  delivery_rate_below: 1.5\n",
                "buyers/acme.yaml: alerts.delivery_rate_below: must be at most 1");
        assertRefused(MINIMAL + "alerts:\n  window: 5\n",
                "buyers/acme.yaml: alerts.window: unknown field");
        assertRefused(MINIMAL + "circuit_breaker:\n  failures_to_open: -1\n",
                "buyers/acme.yaml: circuit_breaker.failures_to_open: must be at least 0");
    }

    @Test
    void aRateLimitIsCallsPerSecond() throws Exception {
        assertEquals(new Buyer.RateLimit(5), parser.parse(write(MINIMAL + "rate_limit:\n  per_second: 5\n")).rateLimit());
        assertFalse(parser.parse(write(MINIMAL)).rateLimit().limited(), "no section, no limit");
        assertRefused(MINIMAL + "rate_limit:\n  per_second: 0\n", "buyers/acme.yaml: rate_limit.per_second: must be at least 1");
        assertRefused(MINIMAL + "rate_limit:\n  per_minute: 5\n", "buyers/acme.yaml: rate_limit.per_minute: unknown field");
    }

    @Test
    void zeroMaxAttempts() {
        assertRefused(MINIMAL + "retry:\n  max_attempts: 0\n",
                "buyers/acme.yaml: retry.max_attempts: must be at least 1");
    }

    @Test
    void unknownTopLevelField() {
        assertRefused(MINIMAL + "colour: blue\n",
                "buyers/acme.yaml: colour: unknown field");
    }

    @Test
    void unknownNestedField() {
        assertRefused(MINIMAL + "retry:\n  max_attempt: 2\n",
                "buyers/acme.yaml: retry.max_attempt: unknown field");
    }

    @Test
    void emptyMapping() {
        assertRefused(MINIMAL.replace("""
                mapping:
                  - from: email
                    to: email
                """, "mapping: []\n"),
                "buyers/acme.yaml: mapping: must not be empty");
    }

    @Test
    void mappingEntryWithoutTo() {
        assertRefused(MINIMAL.replace("    to: email", "    to: email\n  - from: phone\n    to: phone\n  - from: state"),
                "buyers/acme.yaml: mapping[2].to: is required");
    }

    @Test
    void mappingEntryWithNeitherFromNorValue() {
        assertRefused(MINIMAL.replace("    to: email", "    to: email\n  - to: source"),
                "buyers/acme.yaml: mapping[1]: must have exactly one of from or value (found neither)");
    }

    @Test
    void mappingEntryWithBothFromAndValue() {
        assertRefused(MINIMAL.replace("    to: email", "    to: email\n    value: x@example.com"),
                "buyers/acme.yaml: mapping[0]: must have exactly one of from or value (found both)");
    }

    @Test
    void mappingDefaultWithConstantValue() {
        assertRefused(MINIMAL.replace("    to: email", "    to: email\n  - to: source\n    value: leadrouter\n    default: web"),
                "buyers/acme.yaml: mapping[1].default: only allowed with from");
    }

    @Test
    void twoMappingEntriesWritingTheSameField() {
        assertRefused(MINIMAL.replace("    to: email", "    to: email\n  - from: email_address\n    to: email"),
                "buyers/acme.yaml: mapping[1].to: email is already written by mapping[0]");
    }

    @Test
    void unknownTransform() {
        assertRefused(MINIMAL.replace("    to: email", "    to: email\n    transform: title_case"),
                "buyers/acme.yaml: mapping[0].transform: must be one of none, digits_only, upper, lower, trim");
    }

    @Test
    void literalSecretHeader() {
        assertRefused(MINIMAL + "headers:\n  X-Source: leadrouter\n  Authorization: Bearer abc123\n",
                "buyers/acme.yaml: headers.Authorization: secrets must not be written in the file; use credentials with env");
    }

    @ParameterizedTest
    @ValueSource(strings = {"authorization", "Proxy-Authorization", "Cookie", "X-Api-Key", "X-Auth-Token", "Client-Secret", "X-PASSWORD"})
    void everySecretLookingHeaderIsRefused(String name) {
        assertRefused(MINIMAL + "headers:\n  " + name + ": something\n",
                "buyers/acme.yaml: headers." + name + ": secrets must not be written in the file; use credentials with env");
    }

    @Test
    void headerValueThatIsNotText() {
        assertRefused(MINIMAL + "headers:\n  X-Api-Version: 2\n",
                "buyers/acme.yaml: headers.X-Api-Version: must be a string");
    }

    @Test
    void credentialWithBothHeaderAndField() {
        assertRefused(MINIMAL + "credentials:\n  - header: X-Buyer-Auth\n    field: auth\n    env: BUYER_KEY\n",
                "buyers/acme.yaml: credentials[0]: must have exactly one of header or field (found both)");
    }

    @Test
    void credentialWithNeitherHeaderNorField() {
        assertRefused(MINIMAL + "credentials:\n  - env: BUYER_KEY\n",
                "buyers/acme.yaml: credentials[0]: must have exactly one of header or field (found neither)");
    }

    @Test
    void credentialEnvThatIsNotAVariableName() {
        assertRefused(MINIMAL + "credentials:\n  - header: X-Buyer-Auth\n    env: buyer-key\n",
                "buyers/acme.yaml: credentials[0].env: must match ^[A-Z_][A-Z0-9_]*$");
    }

    @Test
    void unknownReasonLabel() {
        assertRefused(MINIMAL + "response:\n  reasons:\n    - contains: dupe\n      reason: Already Sold\n",
                "buyers/acme.yaml: response.reasons[0].reason: must be one of Duplicate Lead, Invalid Data, Cap Reached, Rejected, Invalid Credentials, IP Not Whitelisted");
    }

    @Test
    void technicalReasonLabel() {
        assertRefused(MINIMAL + "response:\n  reasons:\n    - contains: try later\n      reason: Timeout\n",
                "buyers/acme.yaml: response.reasons[0].reason: must be one of Duplicate Lead, Invalid Data, Cap Reached, Rejected, Invalid Credentials, IP Not Whitelisted");
    }

    @Test
    void acceptWhenWithBothEqualsAndMatches() {
        assertRefused(MINIMAL + "response:\n  accept_when:\n    path: $.status\n    equals: ok\n    matches: ^ok$\n",
                "buyers/acme.yaml: response.accept_when: must have exactly one of equals or matches (found both)");
    }

    @Test
    void acceptWhenMatchesThatIsNotARegex() {
        assertRefused(MINIMAL + "response:\n  accept_when:\n    path: $.status\n    matches: (ok\n",
                "buyers/acme.yaml: response.accept_when.matches: not a valid regular expression: Unclosed group near index 3");
    }

    @Test
    void jsonResponsePathThatIsNotJsonPath() {
        assertRefused(MINIMAL + "response:\n  payout: \"$..x[?(@.a ==\"\n",
                "buyers/acme.yaml: response.payout: not a valid JSONPath: Could not parse token starting at position 4. Expected ?, ', 0-9, *");
    }

    @Test
    void xmlResponsePathThatIsNotXPath() {
        assertRefused(MINIMAL + "response:\n  type: xml\n  buyer_lead_id: \"count(\"\n",
                "buyers/acme.yaml: response.buyer_lead_id: not a valid XPath: Expected ), but found:");
    }

    @Test
    void textResponsePathThatIsNotARegex() {
        assertRefused(MINIMAL + "response:\n  type: text\n  rejection_reason: \"reason=([a-z\"\n",
                "buyers/acme.yaml: response.rejection_reason: not a valid regular expression: Unclosed character class near index 11");
    }

    @Test
    void statusOutsideHttpRange() {
        assertRefused(MINIMAL + "response:\n  accepted_status: [200, 700]\n",
                "buyers/acme.yaml: response.accepted_status[1]: must be at most 599");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertRefused(MINIMAL.replace("https://example.com/leads", "example.com").replace("price: 10\n", "")
                        + "headers:\n  Cookie: session=1\n",
                "buyers/acme.yaml: endpoint.url: must match ^(http|https)://.*; price: is required; "
                        + "headers.Cookie: secrets must not be written in the file; use credentials with env");
    }

    @Test
    void wrongTypeForASection() {
        assertRefused(MINIMAL + "retry: 3\ncredentials:\n  header: Authorization\n",
                "buyers/acme.yaml: credentials: must be a list; retry: must be a mapping");
    }

    // ---- files that are not a buyer at all ----

    @Test
    void fileThatIsNotYaml() {
        assertRefused("id: rcp_minimal01\n\tname: tabbed\n",
                "buyers/acme.yaml: not valid YAML: found character '\\t(TAB)' that cannot start any token. "
                        + "(Do not use \\t(TAB) for indentation) (line 2, column 1)");
    }

    @Test
    void fileWithUnclosedList() {
        assertRefused("id: rcp_minimal01\nmapping: [email\n",
                "buyers/acme.yaml: not valid YAML: expected ',' or ']', but got <stream end> (line 3, column 1)");
    }

    @Test
    void fieldWrittenTwice() {
        assertRefused(MINIMAL + "price: 12\n",
                "buyers/acme.yaml: not valid YAML: Duplicate field 'price' (line 9, column 6)");
    }

    @Test
    void fileThatIsNotUtf8() throws IOException {
        Path file = Files.write(buyersDir.resolve("acme.yaml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        BuyerFileException e = assertThrows(BuyerFileException.class, () -> parser.parse(file));
        assertEquals("buyers/acme.yaml: not valid YAML: not UTF-8 text (line 1, column 5)", e.getMessage());
    }

    @Test
    void directoryInsteadOfFile() throws IOException {
        Path dir = Files.createDirectory(buyersDir.resolve("nested.yaml"));

        BuyerFileException e = assertThrows(BuyerFileException.class, () -> parser.parse(dir));
        assertEquals("buyers/nested.yaml: cannot be read: is a directory", e.getMessage());
    }

    @Test
    void emptyFile() {
        assertRefused("", "buyers/acme.yaml: is empty");
    }

    @Test
    void fileWithOnlyComments() {
        assertRefused("# to be written\n", "buyers/acme.yaml: is empty");
    }

    @Test
    void topLevelList() {
        assertRefused("- id: rcp_minimal01\n", "buyers/acme.yaml: must be a mapping of fields");
    }

    @Test
    void twoDocumentsInOneFile() {
        assertRefused(MINIMAL + "---\n" + MINIMAL,
                "buyers/acme.yaml: must hold a single YAML document, found another one after ---");
    }

    @Test
    void missingFile() {
        BuyerFileException e = assertThrows(BuyerFileException.class, () -> parser.parse(buyersDir.resolve("gone.yaml")));
        assertEquals("buyers/gone.yaml: cannot be read: no such file", e.getMessage());
    }

    @Test
    void exceptionCarriesFileAndProblems() throws IOException {
        Path file = write(MINIMAL.replace("id: rcp_minimal01\n", "") + "colour: blue\n");

        BuyerFileException e = assertThrows(BuyerFileException.class, () -> parser.parse(file));

        assertEquals(file, e.file());
        assertEquals("buyers/acme.yaml", e.displayName());
        assertEquals(List.of("id: is required", "colour: unknown field"), e.problems());
    }

    // ---- helpers ----

    private Path write(String yaml) throws IOException {
        return Files.writeString(buyersDir.resolve("acme.yaml"), yaml);
    }

    private void assertRefused(String yaml, String expectedMessage) {
        BuyerFileException e = assertThrows(BuyerFileException.class, () -> parser.parse(write(yaml)));
        assertEquals(expectedMessage, e.getMessage());
    }
}
