package io.leadrouter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.FirehoseReader;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.TextAssertions;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * leadrouter.events.masked-fields: buyers that echo the whole request back (as JSON, as escaped
 * text, URL-encoded, base64) get the lead's ssn and date of birth; neither reaches the events table,
 * the firehose or the dead letters, and the events name the fields they masked.
 */
class MaskedLeadFieldsTest {

    private static final String SSN = "987-65-4329";
    private static final String DOB = "1961-07-14";
    private static final String LEAD = """
            {"first_name":"Maskwell","ssn":"%s","applicant":{"dob":"%s"},"state":"vt"}""".formatted(SSN, DOB);

    @Test
    void echoedMaskedFieldsAreMaskedEverywhereTheEventGoesAndTheEventSaysWhich() throws Exception {
        try (StubBuyer accepting = StubBuyer.answering(Reply.echoing(200));
                StubBuyer failing = StubBuyer.answering(Reply.echoing(500));
                RouterUnderTest router = RouterUnderTest.builder()
                        .property("leadrouter.events.masked-fields", "ssn, applicant.dob, not.in.this.lead").start()) {
            router.installBuyer("accepting.yaml", "rcp_maskAccept", buyer("rcp_maskAccept", accepting.url("/leads"), 1));
            router.installBuyer("failing.yaml", "rcp_maskFail", buyer("rcp_maskFail", failing.url("/leads"), 2));

            String leadId = router.postLead(LEAD);
            JsonNode events = router.awaitOutcomes(leadId, 2);
            router.awaitCompleted(leadId);

            assertTrue(accepting.requests().get(0).body().contains(SSN), "the buyer got the ssn: " + accepting.requests().get(0).body());
            // the events and the requests stored beside them (GET /leads/{id}/attempts)
            String table = String.join("\n", router.texts("select concat(event::text, request::text) from recipient_events"));
            assertTrue(router.count("select count(*) from recipient_events where request::text like '%Maskwell%'") > 0,
                    "the requests sent are stored, a field not named as it was sent");
            String deadLetters = String.join("\n", router.texts("select failure::text from dead_letters"));
            assertFalse(deadLetters.isEmpty(), "the failing buyer's lead is a dead letter");
            String firehose;
            try (FirehoseReader reader = new FirehoseReader(router.eventsTopic())) {
                firehose = reader.awaitRecordsOf(leadId, events.size()).toString();
            }
            for (String form : forms()) {
                TextAssertions.assertAbsent(form, table, "the events table");
                TextAssertions.assertAbsent(form, firehose, "the firehose");
                TextAssertions.assertAbsent(form, deadLetters, "the dead letters");
            }
            assertTrue(table.contains("Maskwell"), "a field not named is echoed as it came: " + table);
            String request = accepting.requests().get(0).body();
            for (String value : List.of(SSN, DOB)) {
                String encoded = base64Of(value, request);
                assertTrue(encoded.length() >= 12, encoded);
                TextAssertions.assertAbsent(encoded, table, "the events table (base64)");
                TextAssertions.assertAbsent(encoded, firehose, "the firehose (base64)");
                TextAssertions.assertAbsent(encoded, deadLetters, "the dead letters (base64)");
            }

            for (JsonNode outcome : RouterUnderTest.ofType(events, "recipient.delivered")) {
                assertEquals("[\"ssn\",\"applicant.dob\"]", outcome.path("metadata").path("masked_fields").toString());
                assertEquals("****", outcome.path("response").path("body").path("received").path("ssn").asText());
            }
            for (JsonNode outcome : RouterUnderTest.ofType(events, "recipient.failed")) {
                assertEquals("[\"ssn\",\"applicant.dob\"]", outcome.path("metadata").path("masked_fields").toString());
            }
            for (JsonNode attempt : RouterUnderTest.ofType(events, "recipient.delivery_attempt")) {
                assertTrue(attempt.path("metadata").path("masked_fields").isMissingNode(), "nothing of the lead's is in an attempt event");
            }
        }
    }

    /** The values as the echo carries them: plain (JSON and form) and URL-encoded; base64 is checked on its own. */
    private static List<String> forms() {
        return List.of(SSN, DOB, URLEncoder.encode(SSN, StandardCharsets.UTF_8), URLEncoder.encode(DOB, StandardCharsets.UTF_8));
    }

    /**
     * The base64 characters of the whole request that carry only the value's bits: character k
     * holds bits [6k, 6k + 6) of the bytes, the value bits [8i, 8(i + length)).
     */
    private static String base64Of(String value, String request) {
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        int i = request.indexOf(value); // ASCII before it: character and byte offsets agree
        int first = (8 * i + 5) / 6;
        int end = 8 * (i + value.length()) / 6;
        return Base64.getEncoder().encodeToString(bytes).substring(first, end);
    }

    private static String buyer(String id, String url, int priority) {
        return """
                id: %s
                name: Echo %s
                endpoint:
                  url: %s
                  method: POST
                  timeout_ms: 2000
                format: json
                mapping:
                  - from: first_name
                    to: firstName
                  - from: ssn
                    to: ssn
                  - from: applicant.dob
                    to: dob
                price: 30.00
                priority: %d
                retry:
                  max_attempts: 1
                """.formatted(id, id, url, priority);
    }
}
