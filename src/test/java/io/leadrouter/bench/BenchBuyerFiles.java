package io.leadrouter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes the buyer files of a scenario, as an operator would: one YAML file per buyer. */
final class BenchBuyerFiles {

    /** Attempts per lead for technical failures, and the (short) backoff between them. */
    static final int MAX_ATTEMPTS = 3;

    private BenchBuyerFiles() {
    }

    /**
     * A non-exclusive JSON buyer that accepts on {"result":"accepted"}, like the quick start's Premier buyer,
     * followed by the buyer's routing rules, if any.
     */
    static String yaml(BenchBuyer buyer, String url, int timeoutMs) {
        String rules = buyer.rules().isEmpty() || buyer.rules().endsWith("\n") ? buyer.rules() : buyer.rules() + "\n";
        return """
                id: %s
                name: Bench %s buyer %s
                tier: premium
                endpoint:
                  url: %s
                  method: POST
                  connect_timeout_ms: 1000
                  timeout_ms: %d
                format: json
                mapping:
                  - from: first_name
                    to: firstName
                  - from: last_name
                    to: lastName
                  - from: email
                    to: email
                    transform: lower
                  - from: phone
                    to: phone
                    transform: digits_only
                  - from: state
                    to: state
                    transform: upper
                  - to: source
                    value: lead-router
                price: 45.00
                exclusive: false
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
                """.formatted(buyer.id(), buyer.role().name().toLowerCase(java.util.Locale.ROOT), buyer.id(), url,
                timeoutMs, buyer.priority(), MAX_ATTEMPTS) + rules;
    }

    /** Writes the file atomically (temporary name, then move), so the router never reads half a file. */
    static Path write(Path dir, BenchBuyer buyer, String url, int timeoutMs) throws IOException {
        Path file = dir.resolve(buyer.id() + ".yaml");
        Path temporary = dir.resolve("." + buyer.id() + ".yaml.tmp");
        Files.writeString(temporary, yaml(buyer, url, timeoutMs));
        return Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
