package io.leadrouter.delivery;

import io.leadrouter.model.DeliveryAttempt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.ReceivedRequest;
import io.leadrouter.testing.StubBuyer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exact body each payload format puts on the wire, as a real buyer's server receives it. Three
 * buyers (JSON, form, XML) share one router; every lead goes to all three (none is exclusive), and each
 * test picks its buyer's request for its own lead by the Idempotency-Key.
 */
class FormatsOnTheWireTest {

    private static final String JSON_BUYER = "rcp_WireJson01";
    private static final String FORM_BUYER = "rcp_WireForm01";
    private static final String XML_BUYER = "rcp_WireXml01";

    /** A lead whose values need escaping: a space, an ampersand, angle brackets; and a nested field. */
    private static final String LEAD = """
            {"first_name":"Ann Marie","last_name":"Lee & Sons <Ltd>","phone":"(555) 123-4567",
             "state":"tx","address":{"city":"San Antonio"},"score":85}""";

    /** The same fields for every format: plain, transformed, nested on both sides, and constants. */
    private static final String MAPPING = """
            mapping:
              - from: first_name
                to: firstName
              - from: last_name
                to: lastName
              - from: phone
                to: applicant.phone
                transform: digits_only
              - from: address.city
                to: applicant.city
              - value: web
                to: source
              - value: spring-2024
                to: campaign
              - value: 7
                to: tier
              - value: true
                to: consent
            """;

    private static StubBuyer jsonStub;
    private static StubBuyer formStub;
    private static StubBuyer xmlStub;
    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        jsonStub = StubBuyer.answering(Reply.json(200, "{\"result\":\"accepted\"}"));
        formStub = StubBuyer.answering(Reply.json(200, "{\"result\":\"accepted\"}"));
        xmlStub = StubBuyer.answering(Reply.status(200, "application/xml", "<response><result>accepted</result></response>"));
        router = RouterUnderTest.start();
        router.writeBuyer("json.yaml", buyer(JSON_BUYER, jsonStub, "json", """
                headers:
                  X-Campaign: spring-sale
                  X-Source-Id: "42"
                response:
                  accept_when:
                    path: "$.result"
                    equals: accepted
                """));
        router.writeBuyer("form.yaml", buyer(FORM_BUYER, formStub, "form", """
                response:
                  accept_when:
                    path: "$.result"
                    equals: accepted
                """));
        router.writeBuyer("xml.yaml", buyer(XML_BUYER, xmlStub, "xml", """
                xml_root: lead
                response:
                  accept_when:
                    path: "/response/result"
                    equals: accepted
                """));
        router.awaitBuyer(JSON_BUYER);
        router.awaitBuyer(FORM_BUYER);
        router.awaitBuyer(XML_BUYER);
    }

    @AfterAll
    static void stop() {
        router.close();
        jsonStub.close();
        formStub.close();
        xmlStub.close();
    }

    @Test
    void jsonIsOneCompactObjectWithNestedFieldsAndConstants() {
        ReceivedRequest request = deliverTo(jsonStub, JSON_BUYER);

        assertEquals("{\"firstName\":\"Ann Marie\",\"lastName\":\"Lee & Sons <Ltd>\","
                + "\"applicant\":{\"phone\":\"5551234567\",\"city\":\"San Antonio\"},"
                + "\"source\":\"web\",\"campaign\":\"spring-2024\",\"tier\":7,\"consent\":true}", request.body());
        assertEquals("application/json; charset=UTF-8", request.header("Content-Type"));
    }

    @Test
    void theBuyersOwnHeadersAreSent() {
        ReceivedRequest request = deliverTo(jsonStub, JSON_BUYER);

        assertEquals("spring-sale", request.header("X-Campaign"));
        assertEquals("42", request.header("X-Source-Id"));
    }

    @Test
    void formIsUrlEncodedWithDottedNestedKeys() {
        ReceivedRequest request = deliverTo(formStub, FORM_BUYER);

        assertEquals("firstName=Ann+Marie&lastName=Lee+%26+Sons+%3CLtd%3E"
                + "&applicant.phone=5551234567&applicant.city=San+Antonio"
                + "&source=web&campaign=spring-2024&tier=7&consent=true", request.body());
        assertEquals("application/x-www-form-urlencoded; charset=UTF-8", request.header("Content-Type"));
    }

    @Test
    void xmlHasTheRootElementNestedElementsAndEscapedText() {
        ReceivedRequest request = deliverTo(xmlStub, XML_BUYER);

        assertEquals("<?xml version=\"1.0\" encoding=\"UTF-8\"?><lead>"
                + "<firstName>Ann Marie</firstName><lastName>Lee &amp; Sons &lt;Ltd&gt;</lastName>"
                + "<applicant><phone>5551234567</phone><city>San Antonio</city></applicant>"
                + "<source>web</source><campaign>spring-2024</campaign><tier>7</tier><consent>true</consent></lead>", request.body());
        assertEquals("application/xml; charset=UTF-8", request.header("Content-Type"));
    }

    /** Posts the lead, waits until all three buyers have an outcome, and answers what this buyer received. */
    private static ReceivedRequest deliverTo(StubBuyer stub, String buyerId) {
        String leadId = router.postLead(LEAD);
        router.awaitOutcomes(leadId, 3);
        assertEquals(3, RouterUnderTest.count(router.events(leadId), "recipient.delivered"),
                "every format's buyer accepted: " + router.events(leadId).toPrettyString());
        String key = DeliveryAttempt.idempotencyKey(leadId, buyerId);
        ReceivedRequest request = stub.requests().stream()
                .filter(r -> key.equals(r.header("Idempotency-Key")))
                .findFirst().orElse(null);
        assertNotNull(request, "buyer " + buyerId + " received no request for " + leadId);
        assertEquals("POST", request.method());
        assertEquals("/leads", request.path());
        return request;
    }

    private static String buyer(String id, StubBuyer stub, String format, String more) {
        return """
                id: %s
                name: Wire %s
                endpoint:
                  url: %s
                  connect_timeout_ms: 1000
                  timeout_ms: 2000
                format: %s
                price: 20.00
                retry:
                  max_attempts: 1
                """.formatted(id, format, stub.url("/leads"), format) + MAPPING + more;
    }
}
