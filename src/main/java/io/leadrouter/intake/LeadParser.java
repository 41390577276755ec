package io.leadrouter.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Turns raw intake bytes into a {@link Lead}, or says exactly what is wrong with them. */
public final class LeadParser {

    private final ObjectMapper json;
    private final int maxBytes;

    public LeadParser(ObjectMapper json, int maxBytes) {
        this.json = json;
        this.maxBytes = maxBytes;
    }

    public Lead parse(byte[] body, Instant receivedAt) throws InvalidLeadException {
        return parse(body, receivedAt, LeadIds::next);
    }

    /** @param idIfAbsent gives the lead its id when it carries none */
    public Lead parse(byte[] body, Instant receivedAt, java.util.function.Supplier<String> idIfAbsent) throws InvalidLeadException {
        if (body == null || body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new InvalidLeadException(400, "request body is empty: send the lead as a JSON object");
        }
        if (body.length > maxBytes) {
            throw new InvalidLeadException(413, "lead is " + body.length + " bytes, more than the limit of " + maxBytes + " bytes");
        }
        JsonNode node;
        try {
            // a JSON value followed by anything else is not JSON either: "{...} trailing" is refused, not truncated
            node = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidLeadException(400, "body is not valid JSON: " + firstClause(e.getOriginalMessage())
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (java.io.IOException e) {
            throw new InvalidLeadException(400, "body could not be read: " + e.getMessage());
        }
        if (!(node instanceof ObjectNode lead)) {
            throw new InvalidLeadException(400, "lead must be a JSON object, got " + kind(node));
        }
        JsonNode givenId = lead.get("lead_id");
        String leadId;
        if (givenId == null || givenId.isNull()) {
            leadId = idIfAbsent.get();
        } else if (givenId.isTextual() && LeadIds.isValid(givenId.asText())) {
            leadId = givenId.asText();
        } else {
            throw new InvalidLeadException(400, "lead_id must be 'lead_' and 16 letters or digits, got " + givenId);
        }
        lead.remove("lead_id");
        return new Lead(leadId, lead, receivedAt);
    }

    /** Jackson's message without its trailing source-location notes, which mean nothing to a client. */
    private static String firstClause(String message) {
        String line = message.lines().findFirst().orElse("");
        int notes = line.indexOf(" (start marker");
        return notes < 0 ? line : line.substring(0, notes);
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
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
