package io.leadrouter.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The CSV export's columns (README "Exports"): each a field of the event, flattened; empty when the
 * event has none. Text is quoted as RFC 4180 has it, and text a spreadsheet would run as a formula
 * (starting with =, +, -, @, a tab or a carriage return) is prefixed with a quote, since buyers' answers
 * reach these columns.
 */
final class CsvColumns {

    /** A column: its name, the path to its field, and whether it is a number or boolean (never a formula). */
    private record Column(String name, String path, boolean plain) {
        JsonNode of(JsonNode event) {
            JsonNode node = event;
            for (String step : path.split("\\.")) {
                node = node.path(step);
            }
            return node;
        }
    }

    static final List<Column> COLUMNS = List.of(
            text("event_id", "event_id"), text("event_type", "event_type"), text("timestamp", "timestamp"),
            text("lead_id", "lead_id"), text("recipient_id", "recipient.id"), text("recipient_name", "recipient.name"),
            text("outcome", "outcome"), plain("duration_ms", "duration_ms"), plain("price", "delivery.price"),
            plain("attempted_price", "delivery.attempted_price"), plain("margin", "delivery.margin"),
            text("failure_category", "failure.category"), text("failure_reason", "failure.reason"),
            text("failure_details", "failure.details"), plain("retry_eligible", "failure.retry_eligible"),
            plain("status_code", "response.status_code"), text("buyer_lead_id", "response.parsed.buyer_lead_id"),
            plain("attempt_number", "metadata.attempt_number"), plain("total_attempts", "metadata.total_attempts"),
            text("first_attempt", "metadata.first_attempt"), plain("final", "metadata.final"),
            text("feedback_type", "feedback.type"), text("feedback_reason", "feedback.reason"),
            plain("feedback_amount", "feedback.amount"), plain("feedback_accepted", "feedback.accepted"),
            text("feedback_refusal", "feedback.refusal"), text("url", "delivery.url"));

    private CsvColumns() {
    }

    static String header() {
        StringBuilder line = new StringBuilder();
        for (Column column : COLUMNS) {
            line.append(line.isEmpty() ? "" : ",").append(column.name());
        }
        return line.append("\r\n").toString();
    }

    static String row(JsonNode event) {
        StringBuilder line = new StringBuilder(256);
        for (int i = 0; i < COLUMNS.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            Column column = COLUMNS.get(i);
            JsonNode value = column.of(event);
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            if (column.plain() && (value.isNumber() || value.isBoolean())) {
                line.append(value.asText());
            } else {
                line.append(escape(value.isValueNode() ? value.asText() : value.toString()));
            }
        }
        return line.append("\r\n").toString();
    }

    /** A text field: quoted when it holds a comma, quote or line break; a formula made inert. */
    static String escape(String text) {
        String value = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static Column text(String name, String path) {
        return new Column(name, path, false);
    }

    private static Column plain(String name, String path) {
        return new Column(name, path, true);
    }
}
