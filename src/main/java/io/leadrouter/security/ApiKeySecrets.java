package io.leadrouter.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The text of API keys: {@code lr_<prefix>_<secret>}, a 10-character public prefix that names the key
 * (it finds the stored key, and lists it for people) and 256 random bits of secret. Only the key's
 * SHA-256 is stored: a fast hash is right for a random 256-bit secret, which no guessing reaches (a
 * slow one is for passwords people choose).
 */
public final class ApiKeySecrets {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int PREFIX_LENGTH = 10;
    private static final int SECRET_LENGTH = 43; // 43 characters of 62: 256 bits
    private static final Pattern SHAPE = Pattern.compile("lr_([A-Za-z0-9]{" + PREFIX_LENGTH + "})_[A-Za-z0-9]{" + SECRET_LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeySecrets() {
    }

    /** A new key, never seen before (with overwhelming probability). */
    public static String newKey() {
        return "lr_" + random(PREFIX_LENGTH) + "_" + random(SECRET_LENGTH);
    }

    /** The key's public prefix, or empty when the text is not shaped like a key at all. */
    public static Optional<String> prefixOf(String presented) {
        if (presented == null || presented.length() != 3 + PREFIX_LENGTH + 1 + SECRET_LENGTH) {
            return Optional.empty();
        }
        var matcher = SHAPE.matcher(presented);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** Whether the text is shaped like a key's id ({@code key_} and its prefix). */
    public static boolean isKeyId(String text) {
        return text != null && text.length() == 4 + PREFIX_LENGTH && text.startsWith("key_")
                && text.substring(4).chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
    }

    public static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Whether the presented key is the one whose hash is stored, in time that does not depend on where they differ. */
    public static boolean matches(String presented, byte[] storedSha256) {
        return MessageDigest.isEqual(sha256(presented), storedSha256);
    }

    private static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
