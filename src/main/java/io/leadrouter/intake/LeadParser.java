package io.leadrouter.intake;

import io.leadrouter.model.Lead;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns raw intake bytes into a {@link Lead}, or says exactly what is wrong with them. Every
 * limit of {@link IntakeLimits} is enforced while reading (Jackson's stream constraints stop a
 * 10,000-level body at the configured depth), and whatever the reader throws becomes a 400.
 */
public final class LeadParser {

    /** Jackson's constraint names, and the properties a user changes instead. */
    private static final Map<String, String> CONSTRAINT_PROPERTIES = Map.of(
            "getMaxNestingDepth()", "leadrouter.intake.max-depth",
            "getMaxStringLength()", "leadrouter.intake.max-string-length",
            "getMaxNameLength()", "leadrouter.intake.max-string-length",
            "getMaxDocumentLength()", "leadrouter.intake.max-body-bytes");

    private final JsonFactory boundedFactory;
    private final ObjectReader reader;
    private final IntakeLimits limits;
    private final LeadContentCheck contentCheck;

    public LeadParser(ObjectMapper json, IntakeLimits limits) {
        this.limits = limits;
        this.contentCheck = new LeadContentCheck(limits);
        this.boundedFactory = json.getFactory().rebuild().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth())
                .maxStringLength(limits.maxStringLength())
                .maxNameLength(limits.maxStringLength())
                // sign, point and exponent besides the digits; the digits themselves are checked after reading
                .maxNumberLength(2 * limits.maxNumberDigits() + 8)
                .maxDocumentLength(limits.maxBodyBytes()) // in characters here: the bytes were counted before
                .build()).build();
        // a JSON value followed by anything else is not JSON either: "{...} trailing" is refused, not truncated
        this.reader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public Lead parse(byte[] body, Instant receivedAt) throws InvalidLeadException {
        return parse(body, receivedAt, LeadIds::next);
    }

    /** @param idIfAbsent gives the lead its id when it carries none */
    public Lead parse(byte[] body, Instant receivedAt, Supplier<String> idIfAbsent) throws InvalidLeadException {
        if (body != null && body.length > limits.maxBodyBytes()) {
            throw new InvalidLeadException(413, "lead is " + body.length + " bytes, more than the limit of "
                    + limits.maxBodyBytes() + " bytes");
        }
        String text = body == null ? "" : strictUtf8(body);
        if (text.isBlank()) {
            throw new InvalidLeadException(400, "request body is empty: send the lead as a JSON object");
        }
        JsonNode node = read(text);
        if (!(node instanceof ObjectNode lead)) {
            throw new InvalidLeadException(400, "lead must be a JSON object, got " + kind(node));
        }
        contentCheck.check(lead);
        JsonNode givenId = lead.get("lead_id");
        String leadId;
        if (givenId == null || givenId.isNull()) {
            leadId = idIfAbsent.get();
        } else if (givenId.isTextual() && LeadIds.isValid(givenId.asText())) {
            leadId = givenId.asText();
        } else {
            throw new InvalidLeadException(400, "lead_id must be 'lead_' and 16 letters or digits, got "
                    + abbreviated(givenId.toString()));
        }
        lead.remove("lead_id");
        return new Lead(leadId, lead, receivedAt);
    }

    /** JSON is UTF-8 (RFC 8259): a body that is not is refused, never stored with replacement characters. */
    private static String strictUtf8(byte[] body) throws InvalidLeadException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(body);
        try {
            String text = decoder.decode(bytes).toString();
            if (text.indexOf('\u0000') >= 0) {
                // valid UTF-8, but JSON never has a raw zero byte: this is UTF-16 or UTF-32
                throw new InvalidLeadException(400, "body is not valid UTF-8 JSON: it has zero bytes (UTF-16 or UTF-32?)");
            }
            return text;
        } catch (CharacterCodingException e) {
            throw new InvalidLeadException(400, "body is not valid UTF-8: bad byte sequence at byte " + bytes.position());
        }
    }

    /**
     * Reads the text decoded as UTF-8, not the bytes: from bytes Jackson would detect UTF-16 or
     * UTF-32 by their zero bytes (valid UTF-8 too) and accept a lead in another encoding.
     */
    private JsonNode read(String body) throws InvalidLeadException {
        try {
            // RFC 8259 lets a parser ignore a byte order mark
            String json = body.startsWith("\uFEFF") ? body.substring(1) : body;
            try (JsonParser parser = boundedFactory.createParser(json)) {
                return reader.readTree(parser);
            }
        } catch (StreamConstraintsException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Number value length")) {
                throw new InvalidLeadException(400, "lead has a number longer than the limit of " + limits.maxNumberDigits()
                        + " digits before and after its decimal point (leadrouter.intake.max-number-digits)");
            }
            throw new InvalidLeadException(400, "lead is over a limit: " + withPropertyName(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidLeadException(400, "body is not valid JSON: " + firstClause(e.getOriginalMessage())
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
        } catch (IOException | RuntimeException e) {
            // whatever else the reader throws is still the body's fault, and still a 400 that names it
            throw new InvalidLeadException(400, "body could not be read as JSON: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + abbreviated(e.getMessage())));
        }
    }

    /** "... (32, from `StreamReadConstraints.getMaxNestingDepth()`)" → "... (32, leadrouter.intake.max-depth)". */
    private static String withPropertyName(String message) {
        String text = firstClause(message == null ? "" : message);
        for (Map.Entry<String, String> constraint : CONSTRAINT_PROPERTIES.entrySet()) {
            text = text.replace("from `StreamReadConstraints." + constraint.getKey() + "`", constraint.getValue());
        }
        return text;
    }

    /** Jackson's message without its trailing source-location notes, which mean nothing to a client. */
    private static String firstClause(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        int notes = line.indexOf(" (start marker");
        return abbreviated(notes < 0 ? line : line.substring(0, notes));
    }

    private static String abbreviated(String text) {
        return text.length() <= 300 ? text : text.substring(0, 297) + "...";
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
