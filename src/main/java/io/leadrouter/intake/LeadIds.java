package io.leadrouter.intake;

import io.leadrouter.model.Lead;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Lead ids as in the spec: {@code lead_} and 16 base62 characters. */
public final class LeadIds {

    public static final Pattern PATTERN = Pattern.compile("^lead_[0-9A-Za-z]{16}$");
    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private LeadIds() {
    }

    public static String next() {
        StringBuilder id = new StringBuilder("lead_");
        for (int i = 0; i < 16; i++) {
            id.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return id.toString();
    }

    /**
     * The same id every time for the same seed: a lead re-read from Kafka after a crash (same
     * topic, partition and offset) is recognised as the lead already stored, not stored again.
     */
    public static String derivedFrom(String seed) {
        byte[] hash;
        try {
            hash = java.security.MessageDigest.getInstance("SHA-256").digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder id = new StringBuilder("lead_");
        for (int i = 0; i < 16; i++) {
            id.append(BASE62[(hash[i] & 0xff) % BASE62.length]);
        }
        return id.toString();
    }

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }
}
