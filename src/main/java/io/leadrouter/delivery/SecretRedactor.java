package io.leadrouter.delivery;

import java.util.Collection;

/** Removes secret values from text that is about to be stored or logged (a buyer may echo a key back). */
public final class SecretRedactor {

    public static final String MASK = "****";

    private SecretRedactor() {
    }

    public static String redact(String text, Collection<String> secrets) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }
}
