package io.leadrouter.analytics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AnalyticsCalendarTest {

    @Test
    void aZoneIsANameOrUtcNeverABareOffset() {
        assertEquals("Europe/Berlin", AnalyticsCalendar.of("Europe/Berlin", "09:00-17:00").zoneName());
        assertEquals("UTC", AnalyticsCalendar.of("Z", "09:00-17:00").zoneName());
        assertRefused("'+02:00' is an offset: name a time zone", "+02:00", "09:00-17:00");
        assertRefused("'Mars/Base' is not a time zone", "Mars/Base", "09:00-17:00");
    }

    @Test
    void businessHoursAreAnOrderedPairOfQuarterHours() {
        assertEquals("08:30", AnalyticsCalendar.of("UTC", " 08:30 - 17:45 ").opens().toString());
        assertRefused("09:10 is not on a quarter hour", "UTC", "09:10-17:00");
        assertRefused("17:00 is not before 09:00", "UTC", "17:00-09:00");
        assertRefused("'9 to 5' is not HH:MM-HH:MM", "UTC", "9 to 5");
    }

    @Test
    void aDayOfClocksGoingForwardHas23HoursOfDay() {
        AnalyticsCalendar newYork = AnalyticsCalendar.of("America/New_York", "09:00-17:00");
        // 2026-03-08: 02:00 EST becomes 03:00 EDT, there is no 02:xx
        assertEquals(23, newYork.hoursOfDayIn(Instant.parse("2026-03-08T05:00:00Z"), Instant.parse("2026-03-09T04:00:00Z")));
        // 2026-11-01: 01:xx happens twice, still one hour of day
        assertEquals(24, newYork.hoursOfDayIn(Instant.parse("2026-11-01T04:00:00Z"), Instant.parse("2026-11-02T05:00:00Z")));
        assertEquals(1, newYork.hoursOfDayIn(Instant.parse("2026-11-01T05:00:00Z"), Instant.parse("2026-11-01T06:15:00Z")));
    }

    @Test
    void aHalfHourZonesQuartersFallInTwoLocalHoursOfOneUtcHour() {
        AnalyticsCalendar kolkata = AnalyticsCalendar.of("Asia/Kolkata", "09:00-17:00"); // UTC+05:30
        Instant from = Instant.parse("2026-12-06T18:00:00Z"); // Sunday 23:30 local
        AnalyticsCalendar.LocalQuarters quarters = kolkata.localQuarters(from, Instant.parse("2026-12-06T19:00:00Z"));
        assertArrayEquals(new int[] {23, 23, 0, 0}, quarters.hours());
        assertArrayEquals(new int[] {7, 7, 1, 1}, quarters.weekdays());
        assertEquals(2, quarters.indexOf(Instant.parse("2026-12-06T18:30:00Z").getEpochSecond()));
        assertEquals(-1, quarters.indexOf(Instant.parse("2026-12-06T19:00:00Z").getEpochSecond()));
        assertEquals(-1, quarters.indexOf(Instant.parse("2026-12-06T17:45:00Z").getEpochSecond()));
        assertEquals(2, quarters.hoursOfDay());
    }

    @Test
    void quarterHours() {
        assertTrue(AnalyticsCalendar.isQuarterHour(Instant.parse("2026-12-03T10:45:00Z")));
        assertEquals(false, AnalyticsCalendar.isQuarterHour(Instant.parse("2026-12-03T10:45:00.001Z")));
        assertEquals(Instant.parse("2026-12-03T11:00:00Z"), AnalyticsCalendar.quarterHourAtOrAfter(Instant.parse("2026-12-03T10:45:00.001Z")));
        assertEquals(Instant.parse("2026-12-03T10:45:00Z"), AnalyticsCalendar.quarterHourAtOrAfter(Instant.parse("2026-12-03T10:45:00Z")));
    }

    private static void assertRefused(String message, String zone, String hours) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> AnalyticsCalendar.of(zone, hours));
        assertTrue(refused.getMessage().contains(message), refused.getMessage());
    }
}
