package io.leadrouter.model;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One buyer ("recipient"), as declared by one file in {@code buyers/}. Immutable: a changed
 * file produces a new Buyer that replaces the old one as a whole.
 *
 * @param route      for {@code integration: route}, the buyer's own YAML route file; null otherwise
 * @param rules      which leads it takes, how many, and when
 * @param sourceFile the file it was read from, for messages
 */
public record Buyer(
        String id,
        String name,
        String type,
        String tier,
        boolean enabled,
        String integration,
        RouteIntegration route,
        Endpoint endpoint,
        PayloadFormat format,
        String xmlRoot,
        Map<String, String> headers,
        List<CredentialRef> credentials,
        Signing signing,
        List<FieldMapping> mapping,
        BigDecimal price,
        boolean exclusive,
        int priority,
        RoutingRules rules,
        RetryPolicy retry,
        ResponseRules response,
        AlertOverrides alerts,
        CircuitBreaker circuitBreaker,
        Feedback feedback,
        RateLimit rateLimit,
        Path sourceFile) {

    /** The integration of a buyer that delivers through a YAML DSL route file of its own ({@code integration: route}). */
    public static final String ROUTE_INTEGRATION = "route";

    /**
     * A buyer whose requests are made by its own YAML DSL route file (file section {@code route}).
     *
     * @param file  the route file, beside the buyer file
     * @param floor the lowest bid the route may accept (a ping/post buyer's floor); the buyer's price when not written
     */
    public record RouteIntegration(Path file, BigDecimal floor) {
    }

    /** Where and how the buyer's system is called. Timeouts are always explicit (camel-http's own default is 180 s). */
    public record Endpoint(String url, String method, int connectTimeoutMs, int timeoutMs) {
    }

    /** The wire format of the request body. */
    public enum PayloadFormat {
        JSON("application/json"),
        FORM("application/x-www-form-urlencoded"),
        XML("application/xml");

        private final String contentType;

        PayloadFormat(String contentType) {
            this.contentType = contentType;
        }

        public String contentType() {
            return contentType;
        }
    }

    /**
     * A secret, referenced by the name of the environment variable that holds it; the file never
     * holds the secret itself. It goes either into a request header or into a payload field.
     *
     * @param header the request header to set, or null
     * @param field  the payload field to set, or null
     * @param env    the environment variable holding the secret
     * @param prefix text put before the secret (for example {@code "Bearer "}), or empty
     */
    public record CredentialRef(String header, String field, String env, String prefix) {
    }

    /**
     * Requests to the buyer are signed (Standard Webhooks), with the secret in this environment
     * variable in its {@code whsec_<base64>} form. Null on a buyer whose requests are not signed.
     */
    public record Signing(String secretEnv) {
    }

    /**
     * One field of the buyer's payload.
     *
     * @param from         the lead field (dotted path for nested objects), or null for a constant
     * @param to           the buyer's field name (dotted path makes nested JSON/XML objects)
     * @param value        a constant (String, Number or Boolean, as written), used when {@code from} is null
     * @param defaultValue used when the lead has no value at {@code from} (String, Number or Boolean)
     * @param transform    applied to the value
     */
    public record FieldMapping(String from, String to, Object value, Object defaultValue, Transform transform) {
    }

    public enum Transform {
        NONE, DIGITS_ONLY, UPPER, LOWER, TRIM
    }

    /**
     * How retry-eligible failures are retried by Camel's redelivery policy.
     *
     * @param maxAttempts total attempts including the first one
     */
    public record RetryPolicy(int maxAttempts, long initialDelayMs, double backoffMultiplier, long maxDelayMs) {
    }

    /**
     * How the buyer's answer is read. Paths are JSONPath for {@link ResponseType#JSON}, XPath for
     * {@link ResponseType#XML}, and a regular expression (first group, or whole match) for
     * {@link ResponseType#TEXT}.
     *
     * @param acceptedStatus status codes that may mean accepted
     * @param acceptWhen     the body condition that must also hold, or null for "status only"
     * @param reasons        buyer-specific rejection reason rules, checked before the built-in ones
     */
    public record ResponseRules(
            ResponseType type,
            List<Integer> acceptedStatus,
            AcceptCondition acceptWhen,
            String buyerLeadId,
            String payout,
            String rejectionReason,
            List<ReasonRule> reasons) {
    }

    public enum ResponseType {
        JSON, XML, TEXT
    }

    /** The value at {@code path} must equal {@code equals} (case-insensitive) or match the regex {@code matches}. */
    public record AcceptCondition(String path, String equals, String matches) {
    }

    /** A rejection reason containing {@code contains} (case-insensitive) is reported as {@code reason}, a failure reason name. */
    public record ReasonRule(String contains, String reason) {
    }

    /**
     * The buyer's own alert thresholds (file section {@code alerts}); each null one is the router's
     * (leadrouter.alerts.*).
     */
    public record AlertOverrides(Double deliveryRateBelow, Integer minOffers, Long responseTimeAboveMs,
            Integer consecutiveFailuresAbove, Long offlineSeconds) {

        public static final AlertOverrides NONE = new AlertOverrides(null, null, null, null, null);
    }

    /**
     * When the buyer's circuit opens (file section {@code circuit_breaker}): after this many technical
     * failures in a row, 0 for never; null is the router's leadrouter.circuit.failures-to-open.
     */
    public record CircuitBreaker(Integer failuresToOpen) {

        public static final CircuitBreaker DEFAULT = new CircuitBreaker(null);
    }

    /**
     * What the buyer may report after a delivery (file section {@code feedback}): a return within
     * {@code returnWindowDays} of the delivery, giving one of {@code returnReasons} (empty: any), while
     * its accepted returns this month stay within {@code maxReturnRate} of its deliveries (null: no limit).
     */
    public record Feedback(int returnWindowDays, List<String> returnReasons, Double maxReturnRate) {
        public static final Feedback DEFAULT = new Feedback(7, List.of(), null);
    }

    /**
     * How many calls the buyer takes (file section {@code rate_limit}): at most {@code perSecond} calls
     * start in any one second, counted across every router instance; null {@code perSecond} is no limit.
     */
    public record RateLimit(Integer perSecond) {
        public static final RateLimit NONE = new RateLimit(null);

        public boolean limited() {
            return perSecond != null;
        }
    }
}
