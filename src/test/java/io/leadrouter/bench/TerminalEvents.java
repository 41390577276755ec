package io.leadrouter.bench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which recipient events end a lead's delivery to one buyer: {@code recipient.delivered}, or a
 * {@code recipient.failed} that will not be retried (not retry-eligible, or the buyer's last attempt).
 * The same rule in Java (for the firehose) and in SQL (for the table).
 */
final class TerminalEvents {

    static final String SQL = """
            (event_type = 'recipient.delivered'
             or (event_type = 'recipient.failed'
                 and ((event -> 'failure' ->> 'retry_eligible')::boolean is not true
                      or (event -> 'metadata' ->> 'attempt_number')::int >= (event -> 'metadata' ->> 'total_attempts')::int)))""";

    private TerminalEvents() {
    }

    static boolean isTerminal(JsonNode event) {
        String type = event.path("event_type").asText();
        if (type.equals("recipient.delivered")) {
            return true;
        }
        if (!type.equals("recipient.failed")) {
            return false;
        }
        boolean retryable = event.path("failure").path("retry_eligible").asBoolean(false);
        JsonNode metadata = event.path("metadata");
        return !retryable || metadata.path("attempt_number").asInt() >= metadata.path("total_attempts").asInt();
    }
}
