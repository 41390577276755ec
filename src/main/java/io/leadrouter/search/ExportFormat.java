package io.leadrouter.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadrouter.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** How an export writes events: one JSON object a line, or CSV with a header row ({@link CsvColumns}). */
public enum ExportFormat {

    NDJSON("application/x-ndjson", "ndjson") {
        @Override
        String header() {
            return "";
        }

        @Override
        String line(JsonNode event) {
            return EventJson.inSpecOrder((ObjectNode) event) + "\n";
        }
    },

    CSV("text/csv; charset=utf-8", "csv") {
        @Override
        String header() {
            return CsvColumns.header();
        }

        @Override
        String line(JsonNode event) {
            return CsvColumns.row(event);
        }
    };

    private final String contentType;
    private final String extension;

    ExportFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    abstract String header();

    abstract String line(JsonNode event);

    byte[] headerBytes() {
        return header().getBytes(StandardCharsets.UTF_8);
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    /** @throws EventFilter.BadFilter naming {@code format} */
    public static ExportFormat of(String name) {
        if (name == null || name.isBlank()) {
            return NDJSON;
        }
        for (ExportFormat format : values()) {
            if (format.extension.equals(name.trim())) {
                return format;
            }
        }
        throw new EventFilter.BadFilter("format", "'" + io.leadrouter.support.Quoted.shortened(name) + "' is not one of "
                + String.join(", ", List.of(NDJSON.extension, CSV.extension)));
    }
}
