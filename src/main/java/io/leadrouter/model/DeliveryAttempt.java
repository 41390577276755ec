package io.leadrouter.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;

/**
 * One try of one lead at one buyer.
 *
 * @param attemptNumber  1 for the first try, counting every try recorded for this lead at this buyer, across restarts
 * @param firstAttemptAt when the first try of this lead at this buyer started
 * @param startedAt      when this try started
 */
public record DeliveryAttempt(Lead lead, Buyer buyer, int attemptNumber, Instant firstAttemptAt, Instant startedAt) {

    private static final MessageDigest MD5 = newMd5();

    public int totalAttempts() {
        return buyer.retry().maxAttempts();
    }

    public boolean isLast() {
        return attemptNumber >= totalAttempts();
    }

    /** The same for every retry and replay of this lead to this buyer, so the buyer can drop repeats. */
    public String idempotencyKey() {
        return idempotencyKey(lead.leadId(), buyer.id());
    }

    /**
     * The name-based (version 3) UUID of "leadId|buyerId", as {@link UUID#nameUUIDFromBytes} makes it, from a
     * copy of one MD5 digest: looking the algorithm up among the security providers for every call (as
     * nameUUIDFromBytes does, three times per attempt) cost more than the hash.
     */
    public static String idempotencyKey(String leadId, String buyerId) {
        byte[] hash = md5().digest((leadId + "|" + buyerId).getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x30);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bits = ByteBuffer.wrap(hash);
        return new UUID(bits.getLong(), bits.getLong()).toString();
    }

    private static MessageDigest md5() {
        try {
            return (MessageDigest) MD5.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's MD5 digest can be copied", e);
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
