package io.leadrouter.search;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * Where the next page of a listing starts: after the event with this timestamp and seq, in the
 * listing's order. Opaque to clients (base64url); it carries a checksum of the filters it was
 * made for, so that it is refused with others rather than paging through a different listing.
 * Pages keyed on (timestamp, seq), both immutable and the pair unique, never repeat or skip an event
 * as others are written meanwhile.
 */
public record EventCursor(Instant occurredAt, long seq, long filters) {

    static EventCursor after(Instant occurredAt, long seq, EventFilter filter) {
        return new EventCursor(occurredAt, seq, checksum(filter));
    }

    public String encode() {
        String text = "1:" + ChronoUnit.MICROS.between(Instant.EPOCH, occurredAt) + ":" + seq + ":" + filters;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws EventFilter.BadFilter naming {@code cursor} when it is not one this router made for these filters */
    public static EventCursor decode(String text, EventFilter filter) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(text.trim()), StandardCharsets.US_ASCII).split(":");
        } catch (IllegalArgumentException e) {
            throw notOurs();
        }
        if (parts.length != 4 || !parts[0].equals("1")) {
            throw notOurs();
        }
        EventCursor cursor;
        try {
            cursor = new EventCursor(Instant.EPOCH.plus(Long.parseLong(parts[1]), ChronoUnit.MICROS), Long.parseLong(parts[2]),
                    Long.parseLong(parts[3]));
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            throw notOurs();
        }
        if (cursor.filters() != checksum(filter)) {
            throw new EventFilter.BadFilter("cursor", "it was made for other filters or another order: repeat the filters"
                    + " of the page that gave it");
        }
        return cursor;
    }

    private static EventFilter.BadFilter notOurs() {
        return new EventFilter.BadFilter("cursor", "not a cursor this router gave (pass the 'next' of the previous page as it is)");
    }

    private static long checksum(EventFilter filter) {
        CRC32 crc = new CRC32();
        crc.update(filter.canonical().getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
