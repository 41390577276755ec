package io.leadrouter.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.support.Json;

/** What the audit log says of a key made or revoked: never its secret. */
public final class ApiKeyAudit {

    private ApiKeyAudit() {
    }

    public static ObjectNode details(ApiKey key) {
        return Json.MAPPER.createObjectNode().put("role", key.role().id()).put("recipient_id", key.recipientId()).put("name", key.name());
    }
}
