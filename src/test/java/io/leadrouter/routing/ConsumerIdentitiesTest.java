package io.leadrouter.routing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.support.Json;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who a lead's consumer is, as de-duplication and suppression lists compare: normalised, then hashed. */
class ConsumerIdentitiesTest {

    private static JsonNode lead(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    @Test
    void valuesAreNormalisedByKind() {
        assertEquals("ann@example.com", ConsumerIdentities.normalise("email", "  Ann@Example.COM "));
        assertEquals("5551234567", ConsumerIdentities.normalise("phone", "+1 (555) 123-4567"));
        assertEquals("5551234567", ConsumerIdentities.normalise("contact.mobile_phone", "555.123.4567"));
        assertEquals("25551234567", ConsumerIdentities.normalise("phone", "2 555 123 4567"), "only a leading 1 is the country code");
        assertEquals("tx 75001", ConsumerIdentities.normalise("zip", " TX 75001 "));
    }

    @Test
    void theSameConsumerWrittenDifferentlyHasTheSameIdentities() throws Exception {
        List<byte[]> first = ConsumerIdentities.of(lead("{\"email\":\"ANN@example.com\",\"phone\":\"(555) 123-4567\"}"), List.of("email", "phone"));
        List<byte[]> second = ConsumerIdentities.of(lead("{\"email\":\"ann@example.com \",\"phone\":\"15551234567\"}"), List.of("email", "phone"));
        assertEquals(2, first.size());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(first.get(i), second.get(i));
        }
        assertArrayEquals(ConsumerIdentities.of("email", "Ann@Example.com"), ConsumerIdentities.of("contact.email", "ann@example.com"),
                "an e-mail field under any path compares with a suppressed e-mail");
        assertEquals(32, first.get(0).length, "SHA-256, never the value");
    }

    @Test
    void aFieldTheLeadLacksOrLeavesBlankIdentifiesNothing() throws Exception {
        assertEquals(1, ConsumerIdentities.of(lead("{\"email\":\"a@b.c\",\"phone\":\" -- \"}"), List.of("email", "phone")).size());
        assertEquals(0, ConsumerIdentities.of(lead("{\"email\":null}"), List.of("email", "phone")).size());
    }

    @Test
    void anEmailAndAPhoneWithTheSameTextAreDifferentIdentities() {
        assertFalse(Arrays.equals(ConsumerIdentities.of("email", "5551234567"), ConsumerIdentities.of("phone", "5551234567")));
    }
}
