package io.leadrouter.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a request to a buyer the Standard Webhooks way (standardwebhooks.com): the signature is
 * {@code v1,<base64 of HMAC-SHA256("<webhook-id>.<webhook-timestamp>.<body>")>} with the key the
 * secret {@code whsec_<base64>} holds, so a buyer can check that the request comes from this router,
 * unchanged, and recently.
 */
public final class WebhookSignature {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    private static final String SECRET_PREFIX = "whsec_";

    private WebhookSignature() {
    }

    /**
     * The signing key of a secret in its {@code whsec_<base64>} form.
     *
     * @throws IllegalArgumentException when the secret is not in that form
     */
    public static byte[] key(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("does not start with whsec_");
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        if (key.length < 16) {
            throw new IllegalArgumentException("holds " + key.length + " bytes of key, fewer than 16");
        }
        return key;
    }

    /** The {@code webhook-signature} header's value for this message. */
    public static String sign(byte[] key, String id, long timestampSeconds, String body) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] signature = hmac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
