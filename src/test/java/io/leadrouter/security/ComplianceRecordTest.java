package io.leadrouter.security;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.JsonErrors.assertJsonError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /leads/{id}/compliance}: the consent evidence the lead carried, and for each buyer that
 * took it when, its confirmation and the price, each delivery tied to the events' seal; a buyer key
 * sees its own delivery only.
 */
class ComplianceRecordTest {

    private static final String LEAD = """
            {"first_name":"Ann","email":"ann@example.com","phone":"5551234567","state":"tx",
             "consent":{"text":"I agree to be contacted","timestamp":"2026-12-01T10:00:00Z","ip":"203.0.113.7"},
             "trustedform_cert_url":"https://cert.trustedform.com/abc123"}""";

    @Test
    void theRecordShowsConsentDeliveriesAndTheirSeal() throws Exception {
        try (StubBuyer accepting = StubBuyer.answering(Reply.json(200, ACCEPTED));
                StubBuyer refusing = StubBuyer.answering(Reply.json(200, "{\"result\":\"rejected\",\"message\":\"duplicate\"}"));
                RouterUnderTest router = RouterUnderTest.start()) {
            router.writeBuyer("a.yaml", BuyerFiles.jsonBuyer("rcp_complianceA", accepting.url("/leads")));
            router.writeBuyer("b.yaml", BuyerFiles.jsonBuyer("rcp_complianceB", refusing.url("/leads")));
            router.awaitBuyer("rcp_complianceA");
            router.awaitBuyer("rcp_complianceB");
            String leadId = router.postLead(LEAD);
            router.awaitCompleted(leadId);

            JsonNode record = Awaitility.await("the delivery sealed").atMost(Duration.ofSeconds(20))
                    .until(() -> RouterUnderTest.read(router.get("/leads/" + leadId + "/compliance").body()),
                            r -> !r.path("deliveries").path(0).path("seal").path("checkpoint").isNull());

            assertEquals(leadId, record.path("lead_id").asText());
            assertEquals("I agree to be contacted", record.path("consent").path("consent.text").asText());
            assertEquals("203.0.113.7", record.path("consent").path("consent.ip").asText());
            assertEquals("https://cert.trustedform.com/abc123", record.path("consent").path("trustedform_cert_url").asText());
            assertTrue(record.path("consent").path("jornaya_leadid").isNull(), record.toString());
            assertEquals(1, record.path("deliveries").size(), "only the buyer that took it: " + record);
            JsonNode delivery = record.path("deliveries").get(0);
            assertEquals("rcp_complianceA", delivery.path("recipient").path("id").asText());
            assertEquals("buyer-12345", delivery.path("confirmation").path("buyer_lead_id").asText());
            assertEquals(200, delivery.path("confirmation").path("status_code").asInt());
            assertEquals(0, delivery.path("price").decimalValue().compareTo(new java.math.BigDecimal("45.00")), delivery.toString());

            JsonNode seal = delivery.path("seal");
            assertEquals(1, router.count("select count(*) from recipient_events where seq = " + seal.path("seq").asLong()
                    + " and md5(event::text) = '" + seal.path("md5").asText() + "' and event_id::text = '" + delivery.path("event_id").asText() + "'"),
                    "the seal names the stored event: " + seal);
            assertEquals(1, router.count("select count(*) from event_checkpoints where id = " + seal.path("checkpoint").asLong()
                    + " and encode(digest, 'hex') = '" + seal.path("checkpoint_digest").asText() + "' and last_seq >= " + seal.path("seq").asLong()));

            String buyerA = key(router, "rcp_complianceA");
            String buyerB = key(router, "rcp_complianceB");
            assertEquals(200, router.call("GET", "/leads/" + leadId + "/compliance", buyerA, null, null).statusCode());
            assertJsonError(router.call("GET", "/leads/" + leadId + "/compliance", buyerB, null, null), 404, "no lead " + leadId);
            assertJsonError(router.get("/leads/lead_0000000000000000/compliance"), 404, "no lead lead_0000000000000000");
        }
    }

    private static String key(RouterUnderTest router, String recipientId) {
        return RouterUnderTest.read(router.post("/api-keys", "application/json",
                "{\"role\":\"buyer\",\"recipient_id\":\"" + recipientId + "\"}").body()).path("key").asText();
    }
}
