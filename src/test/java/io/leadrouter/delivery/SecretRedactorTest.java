package io.leadrouter.delivery;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

/**
 * A secret a buyer echoes back is masked however the buyer encoded the text around it: the part of
 * the encoded text that carries only the secret's bits is gone, computed here independently of the
 * redactor (for base64: the characters whose six bits all fall inside the secret's bytes).
 */
class SecretRedactorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 300)
    void anEchoedSecretIsMaskedInEveryEncoding(
            @ForAll @AlphaChars @NumericChars @Chars({'/', '+', '=', '-', '_', '.', '~', ' ', '"', '&'}) @StringLength(min = 8, max = 48) String secret,
            @ForAll @AlphaChars @StringLength(max = 7) String before, @ForAll @AlphaChars @StringLength(max = 7) String after) throws Exception {
        String text = "{\"echo\":\"" + before + secret + after + "\"}";
        String plain = before + secret + after;

        assertMasked(text, secret, secret);
        String json = JSON.writeValueAsString(plain);
        assertMasked(json, secret, JSON.writeValueAsString(secret).replaceAll("^\"|\"$", ""));
        assertMasked(json.replace("/", "\\/"), secret, JSON.writeValueAsString(secret).replaceAll("^\"|\"$", "").replace("/", "\\/"));
        assertMasked(URLEncoder.encode(plain, StandardCharsets.UTF_8), secret, URLEncoder.encode(secret, StandardCharsets.UTF_8));
        for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            String encoded = encoder.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
            assertMasked(encoded, secret, secretOnlyCharacters(encoded, before.length(), secret.getBytes(StandardCharsets.UTF_8).length));
        }
    }

    private static void assertMasked(String echoed, String secret, String secretPart) {
        String redacted = SecretRedactor.redact(echoed, List.of(secret));
        assertTrue(redacted.contains(SecretRedactor.MASK), echoed + " -> " + redacted);
        assertFalse(secretPart.length() >= 4 && redacted.contains(secretPart), "still there: " + secretPart + " in " + redacted);
    }

    /** The base64 characters of {@code encoded} whose bits lie wholly in bytes [from, from + length). */
    private static String secretOnlyCharacters(String encoded, int from, int length) {
        int first = (8 * from + 5) / 6;
        int end = (8 * (from + length)) / 6;
        return first < end ? encoded.substring(first, end) : "";
    }
}
