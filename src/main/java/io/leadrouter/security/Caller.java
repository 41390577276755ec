package io.leadrouter.security;

/**
 * Who a request comes from: the API key it presented.
 *
 * @param recipientId for a {@link Role#BUYER} key, the one buyer whose leads it may see; else null
 */
public record Caller(String keyId, Role role, String recipientId) {
}
