package io.leadrouter.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads when the startup steps happened from the router's log lines (they begin with HH:mm:ss.SSS). */
final class StartupLog {

    /** The steps, each found by a piece of its first log line, in the order they happen. */
    enum Mark {
        MAIN("Apache Camel (Main)"),
        POSTGRES("Embedded PostgreSQL listens"),
        SCHEMA("Database schema at version"),
        KAFKA("Embedded Kafka broker listens"),
        CONTEXT(") is starting"),
        HTTP("HttpServer started"),
        STARTED(") started in"),
        ROUTING("Started lead-routing");

        private final String piece;

        Mark(String piece) {
            this.piece = piece;
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private StartupLog() {
    }

    /** Seconds after {@code start} at which each mark's first line was logged; marks not found are left out. */
    static Map<String, Double> marks(List<String> lines, Instant start) {
        Map<String, Double> found = new LinkedHashMap<>();
        for (Mark mark : Mark.values()) {
            lines.stream().filter(line -> line.contains(mark.piece)).findFirst()
                    .map(line -> secondsAfter(line, start)).ifPresent(seconds -> found.put(mark.label(), seconds));
        }
        return found;
    }

    private static Double secondsAfter(String line, Instant start) {
        try {
            ZoneId zone = ZoneId.systemDefault();
            LocalTime time = LocalTime.parse(line.substring(0, 12));
            Instant logged = LocalDate.ofInstant(start, zone).atTime(time).atZone(zone).toInstant();
            return (logged.toEpochMilli() - start.toEpochMilli()) / 1000.0;
        } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }
}
