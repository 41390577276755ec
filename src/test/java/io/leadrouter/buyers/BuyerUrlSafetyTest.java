package io.leadrouter.buyers;

import static io.leadrouter.testing.BuyerFiles.SAMPLE_LEAD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.delivery.BuyerAddressRefusedException;
import io.leadrouter.delivery.BuyerConnections;
import io.leadrouter.support.AddressPolicy;
import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Buyer URLs cannot reach inside this network, carry credentials, or pull the router's environment
 * through placeholders: such files are refused when loaded, each naming its problem; connections are
 * checked again when made; redirects are not followed.
 */
class BuyerUrlSafetyTest {

    private static StubBuyer buyer;

    @BeforeAll
    static void startBuyer() {
        buyer = StubBuyer.answering(Reply.status(302, "text/plain", "moved"));
    }

    @AfterAll
    static void stopBuyer() {
        buyer.close();
    }

    @Test
    void filesWhoseUrlsReachInsideCarryCredentialsOrNameTheEnvironmentAreRefusedSayingWhy() throws Exception {
        String loopback = buyer.url("/leads");
        Map<String, String[]> files = Map.of(
                "loopback.yaml", new String[] {loopback,
                        "endpoint.url: host 127.0.0.1 resolves to 127.0.0.1 is a loopback address, inside this network"
                                + " (leadrouter.buyers.allowed-networks does not list it)"},
                "localhost.yaml", new String[] {loopback.replace("127.0.0.1", "localhost"),
                        "endpoint.url: host localhost resolves to "},
                "metadata.yaml", new String[] {"http://169.254.169.254/latest/meta-data/",
                        "endpoint.url: host 169.254.169.254 resolves to 169.254.169.254 is a link-local address"},
                "private.yaml", new String[] {"http://10.1.2.3/leads", "endpoint.url: host 10.1.2.3 resolves to 10.1.2.3 is a private address"},
                "userinfo.yaml", new String[] {"https://ann:hunter2@buyer.example.com/leads",
                        "endpoint.url: must not carry credentials (user:password@); use credentials with env"},
                "query.yaml", new String[] {"https://buyer.example.com/leads?campaign=7&api_key=abc123",
                        "endpoint.url: query parameter api_key looks like a credential"},
                "environment.yaml", new String[] {"https://buyer.example.com/{{env:HOME}}",
                        "endpoint.url: placeholder {{env:HOME}} is not allowed: buyer files may name leadrouter.sandbox.* and buyer.* properties only"},
                "property.yaml", new String[] {"https://buyer.example.com/{{leadrouter.datasource.password}}",
                        "endpoint.url: placeholder {{leadrouter.datasource.password}} is not allowed"});
        try (RouterUnderTest router = RouterUnderTest.builder().property("leadrouter.buyers.allowed-networks", "").start()) {
            int n = 0;
            for (Map.Entry<String, String[]> file : files.entrySet()) {
                router.writeBuyer(file.getKey(), BuyerFiles.jsonBuyer("rcp_unsafe" + n++, file.getValue()[0]));
            }
            JsonNode states = Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> RouterUnderTest.read(router.get("/buyers").body()), body -> body.path("files").size() == files.size());

            assertEquals(0, states.path("buyers").size(), states.toString());
            for (JsonNode state : states.path("files")) {
                String[] expected = files.get(state.path("file").asText());
                assertTrue(state.path("problem").asText().contains(expected[1]), state + " should say " + expected[1]);
            }
            assertFalse(states.toString().contains("hunter2") || states.toString().contains("abc123"), "no credential echoed");
        }
    }

    @Test
    void anAllowedNetworkIsReachedAndARedirectIsNotFollowed() throws Exception {
        try (RouterUnderTest router = RouterUnderTest.builder().property("leadrouter.buyers.allowed-networks", "127.0.0.1/32").start()) {
            router.writeBuyer("redirects.yaml", BuyerFiles.jsonBuyer("rcp_redirects", "Redirects", buyer.url("/leads"), 1, false, 1));
            router.awaitBuyer("rcp_redirects");
            int before = buyer.requestCount();

            String leadId = router.postLead(SAMPLE_LEAD);
            JsonNode failed = RouterUnderTest.ofType(router.awaitOutcomes(leadId, 1), "recipient.failed").get(0);

            assertEquals(302, failed.path("response").path("status_code").asInt(), failed.toString());
            assertEquals(before + 1, buyer.requestCount(), "the 302 was not followed");
        }
    }

    @Test
    void aConnectionInsideIsRefusedWhenItIsMadeWhateverTheUrlSaid() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getComponent("http", HttpComponent.class).setClientConnectionManager(
                    BuyerConnections.pool(AddressPolicy.allowing(""), 10, 10));
            context.start();
            int before = buyer.requestCount();
            try (ProducerTemplate template = context.createProducerTemplate()) {
                CamelExecutionException refused = assertThrows(CamelExecutionException.class,
                        () -> template.requestBody(buyer.url("/leads").replace("127.0.0.1", "localhost"), "{}"));
                assertInstanceOf(BuyerAddressRefusedException.class, refused.getCause(), String.valueOf(refused.getCause()));
                assertTrue(refused.getCause().getMessage().startsWith("localhost resolves to "), refused.getCause().getMessage());
            }
            assertEquals(before, buyer.requestCount(), "nothing reached the buyer");
        }
    }
}
