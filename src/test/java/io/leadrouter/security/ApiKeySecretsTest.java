package io.leadrouter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {

    @Test
    void aKeyHasItsPrefixAnd256BitsOfSecret() {
        String key = ApiKeySecrets.newKey();

        assertTrue(key.matches("lr_[A-Za-z0-9]{10}_[A-Za-z0-9]{43}"), key);
        assertEquals(Optional.of(key.substring(3, 13)), ApiKeySecrets.prefixOf(key));
        assertTrue(43 * Math.log(62) / Math.log(2) >= 256, "43 characters of 62 carry at least 256 bits");
    }

    @Test
    void keysDoNotRepeat() {
        Set<String> keys = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String key = ApiKeySecrets.newKey();
            keys.add(key);
            prefixes.add(ApiKeySecrets.prefixOf(key).orElseThrow());
        }
        assertEquals(10_000, keys.size());
        assertEquals(10_000, prefixes.size());
    }

    @Test
    void onlyTheKeyItselfMatchesItsHash() {
        String key = ApiKeySecrets.newKey();
        byte[] stored = ApiKeySecrets.sha256(key);

        assertTrue(ApiKeySecrets.matches(key, stored));
        String lastCharacterChanged = key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A");
        assertFalse(ApiKeySecrets.matches(lastCharacterChanged, stored));
    }

    @Test
    void textNotShapedLikeAKeyHasNoPrefix() {
        String key = ApiKeySecrets.newKey();
        for (String text : new String[] {null, "", "Bearer " + key, key + "x", key.substring(1), key.replace('_', '-'),
                "lr_" + "é".repeat(10) + key.substring(13)}) {
            assertEquals(Optional.empty(), ApiKeySecrets.prefixOf(text), String.valueOf(text));
        }
    }
}
