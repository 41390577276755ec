package io.leadrouter.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.security.ApiAccess;
import io.leadrouter.security.ApiKey;
import io.leadrouter.security.ApiKeyAudit;
import io.leadrouter.security.ApiKeySecrets;
import io.leadrouter.security.AuditLog;
import io.leadrouter.security.ApiKeyStore;
import io.leadrouter.security.KeyRing;
import io.leadrouter.security.Role;
import io.leadrouter.support.Json;
import io.leadrouter.support.JsonResponses;
import java.time.Instant;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code /api-keys}: admin keys make, list and revoke keys. A key's text is in the answer that made
 * it and nowhere else, ever; the list shows each key's prefix, role, buyer, name and times.
 */
public final class ApiKeyRoutes extends RouteBuilder {

    @Override
    public void configure() {
        rest("/api-keys").tag("api keys")
                .get().id("api-keys-list").routeId("api-keys-list").description("Every key, in force or revoked, newest first")
                    .security(ApiAccess.SCHEME, "admin")
                    .to("direct:api-keys-list")
                .post().id("api-keys-create").routeId("api-keys-create")
                    .description("Make a key: {\"role\": \"ingest|read|operate|admin|buyer\", \"name\": \"…\", \"recipient_id\": \"rcp_… (buyer keys)\"}; "
                            + "the answer holds the key, shown this once")
                    .security(ApiAccess.SCHEME, "admin")
                    .responseMessage().code(201).message("made; the body's key is not shown again").endResponseMessage()
                    .responseMessage().code(400).message("not a valid request for a key").endResponseMessage()
                    .to("direct:api-keys-create")
                .delete("/{id}").id("api-keys-revoke").routeId("api-keys-revoke").description("Revoke a key: refused from the next request on, on every instance")
                    .security(ApiAccess.SCHEME, "admin")
                    .responseMessage().code(404).message("no such key in force").endResponseMessage()
                    .to("direct:api-keys-revoke");

        from("direct:api-keys-list").routeConfigurationId(ApiErrors.ID)
                .process(this::list).id("list-api-keys");
        from("direct:api-keys-create").routeConfigurationId(ApiErrors.ID)
                .process(this::create).id("create-api-key");
        from("direct:api-keys-revoke").routeConfigurationId(ApiErrors.ID)
                .process(this::revoke).id("revoke-api-key");
    }

    private void list(Exchange exchange) throws Exception {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode keys = body.putArray("api_keys");
        store().list().forEach(key -> keys.add(toJson(key)));
        JsonResponses.respond(exchange, 200, body);
    }

    private void create(Exchange exchange) throws Exception {
        JsonNode request;
        try {
            byte[] bytes = exchange.getMessage().getBody(byte[].class);
            request = bytes == null || bytes.length == 0 ? null : Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonResponses.error(exchange, 400, "the body is not JSON: " + e.getOriginalMessage());
            return;
        }
        if (request == null || !request.isObject()) {
            JsonResponses.error(exchange, 400, "the body must be a JSON object with at least \"role\"");
            return;
        }
        Optional<String> problem = problemOf(request);
        if (problem.isPresent()) {
            JsonResponses.error(exchange, 400, problem.get());
            return;
        }
        Role role = Role.of(request.get("role").asText());
        String recipientId = request.hasNonNull("recipient_id") ? request.get("recipient_id").asText() : null;
        ApiKey.Issued issued;
        try {
            issued = store().create(role, recipientId, request.path("name").asText(""));
        } catch (IllegalArgumentException e) {
            JsonResponses.error(exchange, 400, e.getMessage());
            return;
        }
        keyRing().reload();
        audit().record(ApiAccess.caller(exchange).keyId(), "api_key.created", issued.record().id(), ApiKeyAudit.details(issued.record()));
        ObjectNode body = toJson(issued.record());
        body.put("key", issued.key());
        JsonResponses.respond(exchange, 201, body);
    }

    private static Optional<String> problemOf(JsonNode request) {
        JsonNode role = request.get("role");
        if (role == null || !role.isTextual()) {
            return Optional.of("\"role\" must be one of ingest, read, operate, admin, buyer");
        }
        try {
            Role.of(role.asText());
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        JsonNode name = request.get("name");
        if (name != null && !name.isNull() && (!name.isTextual() || name.asText().length() > 200)) {
            return Optional.of("\"name\" must be text of at most 200 characters");
        }
        if (hasNul(name) || hasNul(request.get("recipient_id"))) {
            return Optional.of("\"name\" and \"recipient_id\" must not contain the NUL character (\\u0000)");
        }
        JsonNode recipient = request.get("recipient_id");
        if (recipient != null && !recipient.isNull() && (!recipient.isTextual() || recipient.asText().isBlank()
                || recipient.asText().length() > 200)) {
            return Optional.of("\"recipient_id\" must be a buyer's id (text of at most 200 characters)");
        }
        return Optional.empty();
    }

    /** PostgreSQL stores no NUL in text: such a request is refused here, not by the database. */
    private static boolean hasNul(JsonNode text) {
        return text != null && text.isTextual() && text.asText().indexOf('\u0000') >= 0;
    }

    private void revoke(Exchange exchange) throws Exception {
        String id = exchange.getMessage().getHeader("id", String.class);
        // only text shaped like a key id goes to the database (a NUL in it would fail the query, not find nothing)
        Optional<ApiKey> revoked = ApiKeySecrets.isKeyId(id) ? store().revoke(id) : Optional.empty();
        if (revoked.isEmpty()) {
            JsonResponses.error(exchange, 404, "no key in force with id " + id);
            return;
        }
        keyRing().reload();
        audit().record(ApiAccess.caller(exchange).keyId(), "api_key.revoked", id, ApiKeyAudit.details(revoked.get()));
        JsonResponses.respond(exchange, 200, toJson(revoked.get()));
    }

    private static ObjectNode toJson(ApiKey key) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("id", key.id()).put("prefix", key.prefix()).put("role", key.role().id())
                .put("recipient_id", key.recipientId()).put("name", key.name())
                .put("created_at", text(key.createdAt())).put("last_used_at", text(key.lastUsedAt()))
                .put("revoked_at", text(key.revokedAt()));
        return json;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private ApiKeyStore store() {
        return getContext().getRegistry().lookupByNameAndType("apiKeyStore", ApiKeyStore.class);
    }

    private AuditLog audit() {
        return getContext().getRegistry().lookupByNameAndType("auditLog", AuditLog.class);
    }

    private KeyRing keyRing() {
        return getContext().getRegistry().lookupByNameAndType("keyRing", KeyRing.class);
    }
}
