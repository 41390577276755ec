package io.leadrouter.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The key buyers drop repeats by stays what it was: the version 3 UUID of "leadId|buyerId". */
class IdempotencyKeyTest {

    @Property(tries = 500)
    void isTheJdksNameBasedUuidOfLeadAndBuyer(@ForAll String leadId, @ForAll String buyerId) {
        String expected = UUID.nameUUIDFromBytes((leadId + "|" + buyerId).getBytes(StandardCharsets.UTF_8)).toString();
        assertEquals(expected, DeliveryAttempt.idempotencyKey(leadId, buyerId));
    }
}
