package io.leadrouter.testing;

/** Buyer files for tests, written as an operator would write them. */
public final class BuyerFiles {

    private BuyerFiles() {
    }

    /** A JSON buyer at the given URL that accepts on {"result":"accepted"}, with quick retries. */
    public static String jsonBuyer(String id, String name, String url, int priority, boolean exclusive, int maxAttempts) {
        return """
                id: %s
                name: %s
                tier: premium
                endpoint:
                  url: %s
                  method: POST
                  connect_timeout_ms: 1000
                  timeout_ms: 1500
                format: json
                mapping:
                  - from: first_name
                    to: firstName
                  - from: phone
                    to: phone
                    transform: digits_only
                  - from: state
                    to: state
                    transform: upper
                price: 45.00
                exclusive: %s
                priority: %d
                retry:
                  max_attempts: %d
                  initial_delay_ms: 50
                  backoff_multiplier: 2.0
                  max_delay_ms: 200
                response:
                  type: json
                  accept_when:
                    path: "$.result"
                    equals: accepted
                  buyer_lead_id: "$.lead_id"
                  payout: "$.payout"
                  rejection_reason: "$.message"
                """.formatted(id, name, url, exclusive, priority, maxAttempts);
    }

    /**
     * The buyer file with its circuit breaker off: a buyer that fails every call is called for every
     * lead, as tests of retries, failures and dead letters need (the circuit has tests of its own).
     */
    public static String neverOpening(String yaml) {
        return yaml + "circuit_breaker:\n  failures_to_open: 0\n";
    }

    public static String jsonBuyer(String id, String url) {
        return jsonBuyer(id, "Buyer " + id, url, 1, false, 3);
    }

    public static final String ACCEPTED = "{\"result\":\"accepted\",\"lead_id\":\"buyer-12345\",\"payout\":45.00,\"message\":\"Lead accepted successfully\"}";

    public static final String SAMPLE_LEAD = """
            {"first_name":"Ann","last_name":"Lee","email":"ann@example.com","phone":"(555) 123-4567",
             "state":"tx","zip":"73301","score":85,"cost":12.50,"enhancements_complete":true}""";
}
