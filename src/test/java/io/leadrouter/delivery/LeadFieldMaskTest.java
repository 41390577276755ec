package io.leadrouter.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.model.Lead;
import io.leadrouter.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeadFieldMaskTest {

    private static Lead lead(String json) throws Exception {
        return new Lead("lead_x", (ObjectNode) Json.MAPPER.readTree(json), Instant.EPOCH);
    }

    @Test
    void numbersAndEveryValueInsideAnObjectOrArrayAreMaskedAndNamed() throws Exception {
        Lead lead = lead("{\"ssn\":987654329,\"phones\":[\"5550101234\",\"5550109876\"],\"name\":\"Ann\"}");
        List<String> found = new ArrayList<>();
        String masked = new LeadFieldMask(List.of("ssn", "phones", "absent.field"))
                .mask("{\"ssn\":987654329,\"home\":\"5550101234\",\"cell\":\"555-010-9876\",\"name\":\"Ann\"}", lead, found);
        assertEquals("{\"ssn\":****,\"home\":\"****\",\"cell\":\"555-010-9876\",\"name\":\"Ann\"}", masked,
                "the values as the lead holds them; another spelling of a value is not recognised");
        assertEquals(List.of("ssn", "phones"), found);
    }

    @Test
    void aFieldNotEchoedIsNotNamedAndVeryShortValuesAreLeft() throws Exception {
        Lead lead = lead("{\"ssn\":\"987-65-4329\",\"state\":\"vt\"}");
        List<String> found = new ArrayList<>();
        assertEquals("{\"state\":\"vt\"}", new LeadFieldMask(List.of("ssn", "state")).mask("{\"state\":\"vt\"}", lead, found));
        assertEquals(List.of(), found);
    }
}
