package io.leadrouter.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.model.LeadFields;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Who the consumer of a lead is, as the hashes that de-duplication and suppression lists compare:
 * SHA-256 of each identifying field's name and normalised value. The values themselves are never
 * stored. Normalised: an e-mail trimmed and lower-cased; a phone to its digits, without the
 * leading 1 of an 11-digit (North American) number; anything else trimmed and lower-cased.
 */
public final class ConsumerIdentities {

    private ConsumerIdentities() {
    }

    /** The lead's identities for these fields, one per field it has, sorted (the order rows are locked in). */
    public static List<byte[]> of(JsonNode lead, List<String> fields) {
        List<byte[]> identities = new ArrayList<>();
        for (String field : fields) {
            String value = LeadFields.text(lead, field);
            String normal = value == null ? "" : normalise(field, value);
            if (!normal.isEmpty()) {
                identities.add(hash(kind(field), normal));
            }
        }
        identities.sort(Comparator.comparing((byte[] b) -> b, Arrays::compareUnsigned));
        return identities;
    }

    /** The identity of one value of a suppression list, of the kind its field says (email, phone, or another field). */
    public static byte[] of(String field, String value) {
        return hash(kind(field), normalise(field, value));
    }

    static String normalise(String field, String value) {
        return switch (kind(field)) {
            case "phone" -> {
                String digits = value.replaceAll("\\D", "");
                yield digits.length() == 11 && digits.startsWith("1") ? digits.substring(1) : digits;
            }
            default -> value.strip().toLowerCase(Locale.ROOT);
        };
    }

    /** e-mail and phone fields under any path (contact.email) compare with each other; other fields by their name. */
    private static String kind(String field) {
        String last = field.substring(field.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        if (last.contains("email") || last.contains("e_mail")) {
            return "email";
        }
        if (last.contains("phone") || last.contains("mobile")) {
            return "phone";
        }
        return last;
    }

    private static byte[] hash(String kind, String normal) {
        try {
            return MessageDigest.getInstance("SHA-256").digest((kind + ":" + normal).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
