package io.leadrouter.security;

import java.time.Instant;

/**
 * A stored API key, as listed: never its secret.
 *
 * @param recipientId the buyer a {@link Role#BUYER} key is limited to; null for the other roles
 * @param lastUsedAt  when it last opened a request (recorded every few seconds, not on each request); null if never
 * @param revokedAt   null while the key is in force
 */
public record ApiKey(String id, String prefix, Role role, String recipientId, String name, Instant createdAt,
        Instant lastUsedAt, Instant revokedAt) {

    /** A key just made: its text, shown this once, and its record. */
    public record Issued(String key, ApiKey record) {
    }
}
