package io.leadrouter.routes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.model.Lead;
import java.time.Instant;

/** Leads as intake stores them, for route tests. */
final class SampleLeads {

    private SampleLeads() {
    }

    static Lead lead(String leadId) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode()
                .put("first_name", "Ann")
                .put("state", "TX")
                .put("score", 85);
        return new Lead(leadId, payload, Instant.parse("2026-01-05T10:00:00Z"));
    }
}
