package io.leadrouter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.FirehoseReader;
import io.leadrouter.testing.LogCapture;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.TextAssertions;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A lead with recognisable values goes to a buyer that echoes everything back, its credential
 * included (plain, JSON-escaped, URL-encoded, base64), and to one that fails echoing the same; a
 * lead is refused; everything logged at DEBUG (the router, Camel, the HTTP client) is captured.
 * None of the lead's values is in the log, and the credential in none of its forms is in the log,
 * the events table or the firehose.
 */
class NoPiiInLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "sk_live/" + UUID.randomUUID().toString().replace("-", "");
    private static final Map<String, String> LEAD = new LinkedHashMap<>();

    static {
        LEAD.put("first_name", "Zebulonia");
        LEAD.put("last_name", "Quarringtonne");
        LEAD.put("email", "zq.unique7@example.org");
        LEAD.put("phone", "(555) 010-9999");
        LEAD.put("state", "vt");
        LEAD.put("zip", "05401");
    }

    @Test
    void neitherTheLeadsValuesNorTheBuyersCredentialAppearInLogsEventsOrTheFirehose() throws Exception {
        String echo = echo();
        List<String> log;
        String events;
        String firehose;
        try (StubBuyer accepting = StubBuyer.answering(Reply.json(200, "{\"result\":\"accepted\",\"echo\":" + echo + "}"));
                StubBuyer failing = StubBuyer.answering(Reply.json(500, "{\"error\":\"down\",\"echo\":" + echo + "}"));
                LogCapture capture = new LogCapture("io.leadrouter", "org.apache.camel", "org.apache.hc.client5", "io.vertx");
                RouterUnderTest router = RouterUnderTest.builder().secret("ECHO_BUYER_KEY", SECRET).start()) {
            router.writeBuyer("accepting.yaml", withCredential(BuyerFiles.jsonBuyer("rcp_echoAccept", "Echo", accepting.url("/leads"), 1, false, 1)));
            router.writeBuyer("failing.yaml", withCredential(BuyerFiles.jsonBuyer("rcp_echoFail", "Echo Fail", failing.url("/leads"), 1, false, 2)));
            router.awaitBuyer("rcp_echoAccept");
            router.awaitBuyer("rcp_echoFail");

            String leadId = router.postLead(JSON.writeValueAsString(LEAD));
            router.awaitOutcomes(leadId, 2);
            Map<String, Object> refused = new LinkedHashMap<>(LEAD);
            refused.put("cost", "a lot");
            assertEquals(400, router.post("/leads", "application/json", JSON.writeValueAsString(refused)).statusCode());
            assertEquals(400, router.post("/leads", "application/json", "{\"email\":\"" + LEAD.get("email") + "\",").statusCode());
            router.awaitCompleted(leadId);

            assertTrue(accepting.requests().get(0).header("Authorization").equals("Bearer " + SECRET), "the buyer got its key");
            log = capture.lines();
            events = String.join("\n", router.count("select count(*) from recipient_events") > 0
                    ? router.texts("select concat(event::text, request::text) from recipient_events") : List.of());
            try (FirehoseReader reader = new FirehoseReader(router.eventsTopic())) {
                firehose = reader.awaitRecordsOf(leadId, (int) router.count("select count(*) from recipient_events where lead_id = '"
                        + leadId + "'")).toString();
            }
        }
        String wholeLog = String.join("\n", log);
        assertTrue(wholeLog.length() > 10_000, "DEBUG was captured: " + wholeLog.length() + " characters");
        for (String value : LEAD.values()) {
            if (value.chars().allMatch(Character::isDigit) || value.length() < 4) {
                // the zip, the state: random numbers and ids in a DEBUG log (temporary folders, ports, key ids) may hold them
                TextAssertions.assertTokenAbsent(value, wholeLog, "the log");
            } else {
                TextAssertions.assertAbsent(value, wholeLog, "the log");
            }
        }
        TextAssertions.assertTokenAbsent("5550109999", wholeLog, "the log");
        for (String form : credentialForms()) {
            TextAssertions.assertAbsent(form, wholeLog, "the log");
            TextAssertions.assertAbsent(form, events, "the events table");
            TextAssertions.assertAbsent(form, firehose, "the firehose");
        }
    }

    /** What the buyers answer: the lead as they received it and their key in every encoding. */
    private static String echo() throws Exception {
        Map<String, Object> echo = new LinkedHashMap<>(LEAD);
        echo.put("auth", "Bearer " + SECRET);
        echo.put("auth_url", URLEncoder.encode("Bearer " + SECRET, StandardCharsets.UTF_8));
        echo.put("auth_b64", Base64.getEncoder().encodeToString(("Bearer " + SECRET).getBytes(StandardCharsets.UTF_8)));
        // Jackson writes "/" as is; a PHP buyer writes "\/": both must be masked
        return JSON.writeValueAsString(echo).replace("\"auth\":\"Bearer " + SECRET + "\"",
                "\"auth\":\"Bearer " + SECRET + "\",\"auth_escaped\":\"Bearer " + SECRET.replace("/", "\\/") + "\"");
    }

    private static List<String> credentialForms() {
        List<String> forms = new ArrayList<>();
        forms.add(SECRET);
        forms.add(SECRET.replace("/", "\\/"));
        forms.add(URLEncoder.encode(SECRET, StandardCharsets.UTF_8));
        String b64 = Base64.getEncoder().encodeToString(("Bearer " + SECRET).getBytes(StandardCharsets.UTF_8));
        forms.add(b64.substring(12, b64.length() - 4)); // the part that carries only the secret's bits
        return forms;
    }

    private static String withCredential(String buyer) {
        return buyer + """
                credentials:
                  - header: Authorization
                    prefix: "Bearer "
                    env: ECHO_BUYER_KEY
                """;
    }
}
