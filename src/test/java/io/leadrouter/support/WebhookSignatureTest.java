package io.leadrouter.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    /** The example the Standard Webhooks specification publishes with its reference libraries. */
    @Test
    void signsTheSpecificationsExampleAsPublished() {
        byte[] key = WebhookSignature.key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                WebhookSignature.sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"));
    }

    @Test
    void aSecretNotInTheWhsecFormIsRefusedWithItsReason() {
        assertEquals("does not start with whsec_",
                assertThrows(IllegalArgumentException.class, () -> WebhookSignature.key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> WebhookSignature.key("whsec_not base64!"));
        assertEquals("holds 3 bytes of key, fewer than 16",
                assertThrows(IllegalArgumentException.class, () -> WebhookSignature.key("whsec_YWJj")).getMessage());
    }
}
