package io.leadrouter.security;

import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The audit log records who changed what: a buyer file added, changed (naming the fields) and
 * removed; keys made and revoked, and a dead letter replayed, each with the key that did it; the
 * first admin key with the router's start. The database refuses to change or delete its rows.
 */
class AuditLogTest {

    private static final String BUYER = "rcp_audited";

    @Test
    void buyerFilesKeysAndReplaysAreRecordedWithWhoDidThem() throws Exception {
        try (StubBuyer buyer = StubBuyer.answering(Reply.json(503, "{\"error\":\"down\"}"));
                RouterUnderTest router = RouterUnderTest.start()) {
            router.writeBuyer("audited.yaml", BuyerFiles.jsonBuyer(BUYER, "Audited", buyer.url("/leads"), 1, false, 1));
            router.awaitBuyer(BUYER);
            router.writeBuyer("audited.yaml", BuyerFiles.jsonBuyer(BUYER, "Audited", buyer.url("/leads"), 1, false, 1)
                    .replace("price: 45.00", "price: 50.00"));
            awaitEntry(router, "buyer.changed");

            String operateKey = RouterUnderTest.read(router.post("/api-keys", "application/json", "{\"role\":\"operate\",\"name\":\"ops\"}").body())
                    .path("key").asText();
            String operateId = "key_" + ApiKeySecrets.prefixOf(operateKey).orElseThrow();
            String leadId = router.postLead(SAMPLE_LEAD);
            router.awaitOutcomes(leadId, 1);
            JsonNode deadLetters = Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> RouterUnderTest.read(router.get("/dead-letters").body()), list -> list.size() == 1);
            long deadLetterId = deadLetters.get(0).path("id").asLong();
            assertEquals(202, router.call("POST", "/dead-letters/" + deadLetterId + "/replay", operateKey, null, null).statusCode());
            assertEquals(200, router.call("DELETE", "/api-keys/" + operateId, router.adminKey(), null, null).statusCode());
            Files.delete(router.buyersDir().resolve("audited.yaml"));
            awaitEntry(router, "buyer.removed");

            String adminId = "key_" + ApiKeySecrets.prefixOf(router.adminKey()).orElseThrow();
            List<String> entries = new ArrayList<>();
            JsonNode log = RouterUnderTest.read(router.get("/audit-log").body()).path("entries");
            for (int i = log.size() - 1; i >= 0; i--) {
                JsonNode entry = log.get(i);
                entries.add(entry.path("actor").asText() + " " + entry.path("action").asText() + " " + entry.path("subject").asText());
            }
            assertEquals(List.of(
                    "router-start api_key.created " + adminId,
                    "buyer-files buyer.added " + BUYER,
                    "buyer-files buyer.changed " + BUYER,
                    adminId + " api_key.created " + operateId,
                    operateId + " dead_letter.replayed dead_letter:" + deadLetterId,
                    adminId + " api_key.revoked " + operateId,
                    "buyer-files buyer.removed " + BUYER), entries);

            JsonNode changed = entry(log, "buyer.changed");
            assertEquals("[\"price\"]", changed.path("details").path("fields_changed").toString(), changed.toString());
            assertEquals("audited.yaml", changed.path("details").path("file").asText());
            assertEquals(64, changed.path("details").path("content_sha256").asText().length(), changed.toString());
            assertFalse(log.toString().contains(operateKey) || log.toString().contains(router.adminKey()), "no key's secret in the log");
        }
    }

    @Test
    void theDatabaseRefusesToChangeOrDeleteTheAuditLog() throws Exception {
        try (RouterUnderTest router = RouterUnderTest.start(); Connection db = router.connect(); Statement sql = db.createStatement()) {
            assertTrue(router.count("select count(*) from audit_log") >= 1, "the first admin key is recorded");
            for (String change : new String[] {"update audit_log set actor = 'someone else'", "delete from audit_log",
                    "truncate audit_log"}) {
                SQLException refused = assertThrows(SQLException.class, () -> sql.execute(change), change);
                assertTrue(refused.getMessage().contains("audit_log is append-only"), refused.getMessage());
            }
        }
    }

    private static void awaitEntry(RouterUnderTest router, String action) {
        Awaitility.await(action + " in the audit log").atMost(Duration.ofSeconds(10))
                .until(() -> router.count("select count(*) from audit_log where action = '" + action + "'") == 1);
    }

    private static JsonNode entry(JsonNode log, String action) {
        for (JsonNode entry : log) {
            if (entry.path("action").asText().equals(action)) {
                return entry;
            }
        }
        throw new AssertionError("no " + action + " in " + log);
    }
}
