package io.leadrouter.delivery;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removes secret values from text that is about to be stored or logged: a buyer may echo a key back,
 * and not always as it was sent. Each secret is masked as written, JSON-escaped (with {@code \/} too),
 * URL-encoded (form style and percent-encoded, either case of hex) and base64-encoded (standard and
 * URL-safe alphabets, at each of the three alignments a secret can have inside a longer encoded text).
 */
public final class SecretRedactor {

    public static final String MASK = "****";
    /** Shorter secrets are not masked: four characters would mask half of every answer. */
    private static final int MIN_LENGTH = 4;

    private SecretRedactor() {
    }

    public static String redact(String text, Collection<String> secrets) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= MIN_LENGTH) {
                for (String form : forms(secret)) {
                    result = result.replace(form, MASK);
                }
            }
        }
        return result;
    }

    /** The ways a secret can appear in an answer, longest first (so a longer form is masked whole). */
    static List<String> forms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        String json = new String(JsonStringEncoder.getInstance().quoteAsString(secret));
        forms.add(json);
        forms.add(json.replace("/", "\\/"));
        String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        forms.add(form);
        forms.add(form.replace("+", "%20"));
        String percent = percentEncoded(secret);
        forms.add(percent);
        forms.add(percent.toLowerCase(Locale.ROOT));
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        for (Base64.Encoder encoder : List.of(Base64.getEncoder().withoutPadding(), Base64.getUrlEncoder().withoutPadding())) {
            for (int shift = 0; shift < 3; shift++) {
                forms.add(alignedBase64(encoder, bytes, shift));
            }
        }
        return forms.stream().filter(f -> f.length() >= MIN_LENGTH).sorted((a, b) -> b.length() - a.length()).toList();
    }

    /**
     * The base64 characters that stand for the secret alone when it starts {@code shift} bytes into
     * a 3-byte group of a longer text: the characters mixed with its neighbours' bits are left out.
     */
    private static String alignedBase64(Base64.Encoder encoder, byte[] secret, int shift) {
        byte[] padded = new byte[shift + secret.length];
        System.arraycopy(secret, 0, padded, shift, secret.length);
        String encoded = encoder.encodeToString(padded);
        int from = shift == 0 ? 0 : shift + 1; // 1 byte in: chars 0-1 mix; 2 bytes in: chars 0-2 mix
        int end = secret.length + shift;
        int to = (end / 3) * 4 + (end % 3 == 0 ? 0 : end % 3); // the last whole character of the secret's bits
        return from < to ? encoded.substring(from, Math.min(to, encoded.length())) : "";
    }

    private static String percentEncoded(String secret) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : secret.getBytes(StandardCharsets.UTF_8)) {
            encoded.append('%').append(String.format("%02X", b & 0xff));
        }
        return encoded.toString();
    }
}
