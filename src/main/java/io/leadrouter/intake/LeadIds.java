package io.leadrouter.intake;

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

    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }
}
