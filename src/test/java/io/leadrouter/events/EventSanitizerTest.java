package io.leadrouter.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.support.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What PostgreSQL cannot store is replaced and flagged; everything else of the event is kept. */
class EventSanitizerTest {

    private static final ObjectMapper JSON = Json.MAPPER;

    private static ObjectNode delivered(String body) throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"event_id":"e1","event_type":"recipient.delivered","lead_id":"lead_1","outcome":"success",
                 "delivery":{"method":"HTTP POST","price":45.00,"margin":32.50},
                 "response":{"status_code":200,"body":%s,"parsed":{"buyer_lead_id":"b-1","acceptance":true}},
                 "metadata":{"attempt_number":1}}""".formatted(body));
    }

    @Test
    void aStorableEventIsKeptAsItIs() throws Exception {
        ObjectNode event = delivered("{\"result\":\"accepted\",\"payout\":45.00}");
        assertSame(event, EventSanitizer.storable(event));
    }

    @Test
    void aNulInTheBuyersAnswerTurnsTheBodyIntoEscapedTextAndFlagsTheEvent() throws Exception {
        ObjectNode event = delivered("{\"result\":\"accepted\",\"message\":\"a\\u0000b\"}");

        ObjectNode stored = EventSanitizer.storable(event);

        assertEquals("{\"result\":\"accepted\",\"message\":\"a\\u0000b\"}", stored.path("response").path("body").textValue());
        assertFalse(stored.toString().contains("\u0000"));
        assertTrue(stored.path("metadata").path("sanitized").booleanValue());
        assertEquals(List.of("response.body"), EventSanitizer.sanitizedFields(stored));
        assertEquals("success", stored.path("outcome").asText());
        assertEquals("b-1", stored.path("response").path("parsed").path("buyer_lead_id").asText());
        assertEquals(new BigDecimal("45.00"), stored.path("delivery").path("price").decimalValue());
        assertEquals(1, stored.path("metadata").path("attempt_number").asInt());
        assertTrue(event.path("response").path("body").isObject(), "the original event is left alone");
    }

    @Test
    void aNumberBeyondPostgresInTheAnswerTurnsTheBodyIntoText() throws Exception {
        ObjectNode stored = EventSanitizer.storable(delivered("{\"payout\":1e99999999}"));

        assertEquals("{\"payout\":1E+99999999}", stored.path("response").path("body").textValue());
        assertEquals(List.of("response.body"), EventSanitizer.sanitizedFields(stored));
    }

    @Test
    void aLongNumberInTheAnswerIsKeptAsText() throws Exception {
        String digits = "9".repeat(10_000);
        ObjectNode event = delivered("{}");
        ((ObjectNode) event.path("response").path("body")).put("payout", new BigInteger(digits));

        ObjectNode stored = EventSanitizer.storable(event);

        assertEquals("{\"payout\":" + digits + "}", stored.path("response").path("body").textValue());
    }

    @Test
    void aMoneyFieldOutOfBoundsBecomesNullAndTheOthersStay() throws Exception {
        ObjectNode event = delivered("null");
        ((ObjectNode) event.path("delivery")).put("margin", new BigDecimal("-1e200000"));

        ObjectNode stored = EventSanitizer.storable(event);

        assertTrue(stored.path("delivery").path("margin").isNull());
        assertEquals(new BigDecimal("45.00"), stored.path("delivery").path("price").decimalValue());
        assertEquals(List.of("delivery.margin"), EventSanitizer.sanitizedFields(stored));
    }

    @Test
    void aNulElsewhereIsSpelledOut() throws Exception {
        ObjectNode event = delivered("\"ok\"");
        ((ObjectNode) event.path("response").path("parsed")).put("buyer_lead_id", "b\u00001");

        ObjectNode stored = EventSanitizer.storable(event);

        assertEquals("b\\u00001", stored.path("response").path("parsed").path("buyer_lead_id").asText());
        assertEquals(List.of("response.parsed.buyer_lead_id"), EventSanitizer.sanitizedFields(stored));
    }
}
