package io.leadrouter.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LeadIdsTest {

    @Test
    void newIdsHaveTheSpecsShapeAndDoNotRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = LeadIds.next();
            assertTrue(LeadIds.isValid(id), id);
            ids.add(id);
        }
        assertEquals(10_000, ids.size());
    }

    @Test
    void aKafkaRecordReadTwiceGetsTheSameIdAndAnotherRecordAnother() {
        String first = LeadIds.derivedFrom("leads/3/1042");
        assertTrue(LeadIds.isValid(first), first);
        assertEquals(first, LeadIds.derivedFrom("leads/3/1042"));
        assertNotEquals(first, LeadIds.derivedFrom("leads/3/1043"));
        assertNotEquals(first, LeadIds.derivedFrom("leads/4/1042"));
    }

    @Test
    void malformedIdsAreRefused() {
        for (String bad : new String[] {null, "", "lead_", "lead_123", "lead_0123456789abcdef0", "LEAD_0123456789abcdef", "lead_0123456789abcde!"}) {
            assertTrue(!LeadIds.isValid(bad), String.valueOf(bad));
        }
    }
}
